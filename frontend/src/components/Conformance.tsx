import type { ProfileResult, RuleResult } from "../api/types";
import { plural } from "../format";
import { Badge } from "./Badge";

/** "12 of 14 rules": how many of a profile's required rules pass. */
export function rulesPassed(profile: ProfileResult): { passed: number; total: number } {
  return { passed: profile.rules.filter((r) => r.passed).length, total: profile.rules.length };
}

/**
 * A profile's outcome: "meets BSI TR-03183-2 v2.1" (green) when every required rule passes, else
 * "12 of 14 rules" (amber), followed by the score (0–100). `named` puts the profile's name before a
 * failing badge, for places that show several profiles side by side.
 */
export function ConformanceBadge({ profile, named = false }: { profile: ProfileResult; named?: boolean }) {
  const { passed, total } = rulesPassed(profile);
  const text = profile.passed ? `meets ${profile.title}` : `${passed} of ${total} rules`;
  const tooltip = profile.passed
    ? `${profile.title}: every required rule passes (score ${profile.score}/100)`
    : `${profile.title}: ${passed} of ${total} required rules pass (score ${profile.score}/100)`;
  return (
    <span className="conformance-badge" data-profile={profile.id} data-passed={profile.passed}>
      {named && !profile.passed && <span className="conformance-name">{profile.title}</span>}
      <Badge tone={profile.passed ? "success" : "warning"} title={tooltip}>
        {text}
      </Badge>
      <span className="conformance-score" title="The share of components and SBOM-level rules that pass, out of 100">
        score {profile.score}/100
      </span>
    </span>
  );
}

function failVerb(n: number, required: boolean): string {
  if (required) return n === 1 ? "fails" : "fail";
  return n === 1 ? "lacks it" : "lack it";
}

function Rule({ rule, required, checked }: { rule: RuleResult; required: boolean; checked?: number }) {
  // A failing rule that is only reported is not a defect: it is shown as missing, not failed.
  const state = rule.passed ? "pass" : required ? "fail" : "missing";
  const word = rule.passed ? (required ? "Passed" : "Reported") : required ? "Failed" : "Not reported";
  return (
    <li className={`rule rule-${state}`} data-rule={rule.id}>
      <span className="rule-icon" aria-hidden="true">
        {rule.passed ? "✓" : required ? "✗" : "–"}
      </span>
      <div className="rule-body">
        <div className="rule-head">
          <span className="visually-hidden">{word}: </span>
          <span className="rule-title">{rule.title}</span> <code className="rule-id">{rule.id}</code>
        </div>
        {rule.failing_components > 0 && (
          <p className="rule-failing small">
            {plural(rule.failing_components, "component")}
            {checked ? ` of ${checked}` : ""} {failVerb(rule.failing_components, required)}
            {rule.examples.length > 0 && ", for example:"}
          </p>
        )}
        {rule.examples.length > 0 && (
          <ul className="chips mono" aria-label={`Components failing ${rule.id}`}>
            {rule.examples.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        )}
        {rule.detail && <p className="rule-detail muted small break">{rule.detail}</p>}
      </div>
    </li>
  );
}

/**
 * Every rule of one profile: passed or failed, how many components fail, examples and detail;
 * then the fields the profile asks to report without requiring them ("reported, not required").
 */
export function RuleList({ profile }: { profile: ProfileResult }) {
  const checked = profile.components_checked || undefined;
  return (
    <div className="rules" data-profile={profile.id}>
      <ul className="rule-list" aria-label={`Rules of ${profile.title}`}>
        {profile.rules.map((r) => (
          <Rule key={r.id} rule={r} required checked={checked} />
        ))}
      </ul>
      {profile.additional.length > 0 && (
        <>
          <h3 className="rules-subtitle">Reported, not required</h3>
          <p className="muted small">These fields are shown when present; they do not count towards the result.</p>
          <ul className="rule-list rule-list-additional" aria-label={`Reported, not required by ${profile.title}`}>
            {profile.additional.map((r) => (
              <Rule key={r.id} rule={r} required={false} checked={checked} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/**
 * The conformance of an SBOM: one expandable entry per profile (its badge, named when it fails,
 * and its rules when opened).
 */
export function ConformanceReport({ profiles }: { profiles: ProfileResult[] }) {
  if (profiles.length === 0) {
    return <p className="muted empty-inline">Not checked: this SBOM was stored before conformance was recorded.</p>;
  }
  return (
    <div className="conformance">
      {profiles.map((p) => (
        <details key={p.id} className="conformance-profile" data-profile={p.id}>
          <summary>
            <ConformanceBadge profile={p} named />
            {p.components_checked ? (
              <span className="muted small"> · {plural(p.components_checked, "component")} checked</span>
            ) : null}
          </summary>
          <RuleList profile={p} />
        </details>
      ))}
    </div>
  );
}
