import { useEffect, useId, useState, type FormEvent } from "react";
import { adminApi, unwrap } from "../api/client";
import { saveBlob } from "../api/download";
import type { components } from "../api/schema";
import { useSubmit } from "../hooks";
import { Badge } from "../components/Badge";
import { Field } from "../components/Field";
import { Alert, ProblemAlert } from "../components/Alert";
import { CopyButton } from "../components/CopyButton";
import { Dialog } from "../components/Dialog";

type TotpEnrolment = components["schemas"]["TotpEnrolment"];

const CODE_FIELDS = ["code"];
export const RECOVERY_CODES_FILENAME = "supplier-portal-recovery-codes.txt";

/** The base32 secret in groups of four, easier to read and type ("JBSW Y3DP …"). */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}

/** An otpauth:// URL as a QR code, an SVG data URL (no canvas needed). The encoder loads on first use. */
export async function qrDataUrl(text: string): Promise<string> {
  const mod = await import("qrcode");
  const qr = mod.default ?? mod;
  const svg = await qr.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

function QrCode({ text }: { text: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setSrc(null);
    setFailed(false);
    qrDataUrl(text).then(
      (url) => live && setSrc(url),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [text]);
  if (failed) return <p className="muted small">The QR code could not be drawn: type the key in instead.</p>;
  if (!src) return <div className="totp-qr totp-qr-loading" aria-hidden="true" />;
  return (
    <img
      className="totp-qr"
      src={src}
      width={200}
      height={200}
      alt="QR code to scan with your authenticator app"
      data-testid="totp-qr"
    />
  );
}

/** The recovery codes, shown once right after two factors are turned on. */
function RecoveryCodesDialog({ codes, email, onClose }: { codes: string[]; email: string; onClose: () => void }) {
  const [kept, setKept] = useState(false);
  const warningId = useId();
  const text = `Supplier Portal recovery codes for ${email}\nEach code signs in once, in place of the authenticator app's code.\n\n${codes.join("\n")}\n`;
  return (
    <Dialog
      title="Two-factor sign-in is on"
      onClose={onClose}
      size="medium"
      describedBy={warningId}
      footer={
        <button type="button" className="button button-primary" onClick={onClose}>
          {kept ? "Done" : "I have stored them, close"}
        </button>
      }
    >
      <div id={warningId}>
        <Alert tone="warning" title="Store these recovery codes now. They are only shown once.">
          <p>
            If you lose your authenticator app, each code works once in place of the app's code: to sign in, or to turn
            two-factor sign-in off. Keep them somewhere safe, such as a password manager: once you close this dialog they
            cannot be shown again.
          </p>
        </Alert>
      </div>
      <ol className="recovery-codes mono" aria-label="Recovery codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <div className="button-row">
        <CopyButton text={codes.join("\n")} label="Copy recovery codes" className="button" onCopied={() => setKept(true)} />
        <button
          type="button"
          className="button"
          onClick={() => {
            saveBlob(new Blob([text], { type: "text/plain;charset=utf-8" }), RECOVERY_CODES_FILENAME);
            setKept(true);
          }}
        >
          Download as text
        </button>
      </div>
    </Dialog>
  );
}

/** Turning two factors on: the QR code and the key, then a code from the app to confirm. */
function EnrolForm({
  enrolment,
  onConfirmed,
  onCancel,
}: {
  enrolment: TotpEnrolment;
  onConfirmed: (codes: string[]) => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState("");
  const [missing, setMissing] = useState(false);
  const confirm = useSubmit(async () => {
    const res = await unwrap(adminApi.POST("/api/v1/me/totp/confirm", { body: { code: code.replace(/\s+/g, "") } }));
    onConfirmed(res.recovery_codes);
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const empty = code.trim() === "";
    setMissing(empty);
    confirm.submitIf(!empty);
  }

  return (
    <div className="totp-enrol" data-testid="totp-enrol">
      <ol className="totp-steps">
        <li>
          <p>Scan this QR code with an authenticator app (such as a password manager, Google Authenticator or Aegis).</p>
          <QrCode text={enrolment.otpauth_url} />
        </li>
        <li>
          <p>Or, if you cannot scan it, type this key into the app (time-based):</p>
          <div className="secret-row">
            <code className="secret-value mono" data-testid="totp-secret">
              {groupSecret(enrolment.secret)}
            </code>
            <CopyButton text={enrolment.secret} label="Copy key" />
          </div>
        </li>
        <li>
          <form onSubmit={onSubmit} noValidate aria-label="Confirm two-factor sign-in">
            <Field
              label="Code from the app"
              hint="The 6-digit code the app shows now."
              error={missing ? "Enter the code the app shows." : confirm.fieldError("code")}
            >
              {(c) => (
                <input
                  {...c}
                  type="text"
                  name="code"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  pattern="[0-9 ]*"
                  maxLength={8}
                  spellCheck={false}
                  data-autofocus
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                />
              )}
            </Field>
            <ProblemAlert error={confirm.error} shownFields={CODE_FIELDS} title="Could not turn two-factor sign-in on" />
            <div className="button-row">
              <button type="submit" className="button button-primary" disabled={confirm.busy}>
                {confirm.busy ? "Confirming…" : "Confirm and turn on"}
              </button>
              <button type="button" className="button" onClick={onCancel} disabled={confirm.busy}>
                Cancel
              </button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

/** Turning two factors off, with a current code or a recovery code. */
function DisableForm({ onDisabled, onCancel }: { onDisabled: () => void; onCancel: () => void }) {
  const [code, setCode] = useState("");
  const [missing, setMissing] = useState(false);
  const disable = useSubmit(async () => {
    await unwrap(adminApi.POST("/api/v1/me/totp/disable", { body: { code: code.trim() } }));
    onDisabled();
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const empty = code.trim() === "";
    setMissing(empty);
    disable.submitIf(!empty);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Turn off two-factor sign-in">
      <Field
        label="Current code or recovery code"
        hint="The code your authenticator app shows now, or one of your recovery codes."
        error={missing ? "Enter a code." : disable.fieldError("code")}
      >
        {(c) => (
          <input
            {...c}
            type="text"
            name="code"
            autoComplete="one-time-code"
            spellCheck={false}
            autoFocus
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        )}
      </Field>
      <ProblemAlert error={disable.error} shownFields={CODE_FIELDS} title="Could not turn two-factor sign-in off" />
      <div className="button-row">
        <button type="submit" className="button button-danger" disabled={disable.busy}>
          {disable.busy ? "Turning off…" : "Turn off two-factor sign-in"}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={disable.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

type Step = { name: "idle" } | { name: "enrolling"; enrolment: TotpEnrolment } | { name: "disabling" };

/** The account's second factor (TOTP): turn it on with an authenticator app, or off again. */
export function TwoFactorSection({ enabled: enabledNow, email, onChanged }: { enabled: boolean; email: string; onChanged: () => void }) {
  const [enabled, setEnabled] = useState(enabledNow);
  const [step, setStep] = useState<Step>({ name: "idle" });
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [turnedOff, setTurnedOff] = useState(false);
  useEffect(() => setEnabled(enabledNow), [enabledNow]);

  const start = useSubmit(async () => {
    const enrolment = await unwrap(adminApi.POST("/api/v1/me/totp"));
    setStep({ name: "enrolling", enrolment });
  });

  return (
    <section className="card" aria-labelledby="totp-heading" data-testid="two-factor">
      <div className="row-between">
        <h2 id="totp-heading" className="card-title">
          Two-factor sign-in
        </h2>
        {enabled ? (
          <Badge tone="success" title="Signing in needs a code from your authenticator app">
            On
          </Badge>
        ) : (
          <Badge tone="neutral">Off</Badge>
        )}
      </div>
      {enabled ? (
        <>
          <p className="muted">
            Signing in needs your password and a code from your authenticator app (or one of your recovery codes).
          </p>
          {step.name === "disabling" ? (
            <DisableForm
              onCancel={() => setStep({ name: "idle" })}
              onDisabled={() => {
                setEnabled(false);
                setStep({ name: "idle" });
                setTurnedOff(true);
                onChanged();
              }}
            />
          ) : (
            <button type="button" className="button button-danger-outline" onClick={() => setStep({ name: "disabling" })}>
              Turn off
            </button>
          )}
        </>
      ) : (
        <>
          <p className="muted">
            Protect your account with a second step: after your password, a code from an authenticator app on your phone
            or computer.
          </p>
          {turnedOff && step.name === "idle" && (
            <Alert tone="info" polite>
              Two-factor sign-in is off. Your recovery codes no longer work.
            </Alert>
          )}
          {step.name === "enrolling" ? (
            <EnrolForm
              enrolment={step.enrolment}
              onCancel={() => setStep({ name: "idle" })}
              onConfirmed={(codes) => {
                setEnabled(true);
                setStep({ name: "idle" });
                setTurnedOff(false);
                setRecoveryCodes(codes);
                onChanged();
              }}
            />
          ) : (
            <>
              <ProblemAlert error={start.error} title="Could not start turning two-factor sign-in on" />
              <button
                type="button"
                className="button button-primary"
                disabled={start.busy}
                onClick={() => {
                  setTurnedOff(false);
                  void start.submit();
                }}
              >
                {start.busy ? "Starting…" : "Turn on"}
              </button>
            </>
          )}
        </>
      )}
      {recoveryCodes && <RecoveryCodesDialog codes={recoveryCodes} email={email} onClose={() => setRecoveryCodes(null)} />}
    </section>
  );
}
