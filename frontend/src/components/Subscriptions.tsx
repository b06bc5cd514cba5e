import { useState, type FormEvent } from "react";
import {
  EVENT_LABELS,
  SUBSCRIPTION_EVENTS,
  type CreateSubscription,
  type CreatedSubscription,
  type EventType,
  type SubscriptionView,
} from "../api/types";
import { useSubmit } from "../hooks";
import { Dialog } from "./Dialog";
import { Checkbox, Field } from "./Field";
import { ProblemAlert } from "./Alert";
import { SecretDialog } from "./SecretDialog";
import { EmptyState } from "./States";
import { TableScroll } from "./TableScroll";
import { formatDateTime } from "../format";

export interface ProductChoice {
  slug: string;
  name: string;
}

/** A subscription's request body from the form (empty fields left out). */
export function subscriptionBody(f: {
  email: string;
  webhookUrl: string;
  events: EventType[];
  products: string[] | null;
}): CreateSubscription {
  const body: CreateSubscription = { events: f.events };
  if (f.email.trim()) body.email = f.email.trim();
  if (f.webhookUrl.trim()) body.webhook_url = f.webhookUrl.trim();
  if (f.products) body.products = f.products;
  return body;
}

/** New subscription: where to (e-mail and/or webhook), which events, which products. */
export function CreateSubscriptionDialog({
  products,
  onCreate,
  onClose,
  onCreated,
}: {
  products: ProductChoice[];
  onCreate: (body: CreateSubscription) => Promise<CreatedSubscription>;
  onClose: () => void;
  onCreated: (s: CreatedSubscription) => void;
}) {
  const [email, setEmail] = useState("");
  const [webhookUrl, setWebhookUrl] = useState("");
  const [events, setEvents] = useState<EventType[]>(SUBSCRIPTION_EVENTS.map((e) => e.value));
  const [scoped, setScoped] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const create = useSubmit(async (body: CreateSubscription) => {
    onCreated(await onCreate(body));
  });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!email.trim() && !webhookUrl.trim()) errs.email = "Give an e-mail address, a webhook URL, or both.";
    if (webhookUrl.trim() && !/^https:\/\//i.test(webhookUrl.trim())) errs.webhook_url = "Webhook URLs must start with https://.";
    if (events.length === 0) errs.events = "Choose at least one event.";
    if (scoped && chosen.length === 0) errs.products = "Choose at least one product, or all products.";
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    void create.submit(subscriptionBody({ email, webhookUrl, events, products: scoped ? chosen : null }));
  }
  const err = (n: string) => errors[n] ?? create.fieldError(n);
  return (
    <Dialog
      title="New subscription"
      onClose={onClose}
      dismissible={!create.busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={create.busy}>
            Cancel
          </button>
          <button type="submit" form="subscription-form" className="button button-primary" disabled={create.busy}>
            {create.busy ? "Subscribing…" : "Subscribe"}
          </button>
        </>
      }
    >
      <form id="subscription-form" onSubmit={onSubmit} noValidate>
        <Field label="E-mail" optional hint="A readable message, with the JSON payload attached." error={err("email")}>
          {(c) => <input {...c} type="email" name="email" data-autofocus value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field
          label="Webhook URL"
          optional
          hint="An https URL; requests are signed (Standard Webhooks) with a secret shown once."
          error={err("webhook_url")}
        >
          {(c) => (
            <input
              {...c}
              type="url"
              name="webhook_url"
              className="mono"
              placeholder="https://hooks.example.com/supplier"
              value={webhookUrl}
              onChange={(e) => setWebhookUrl(e.target.value)}
            />
          )}
        </Field>
        <fieldset className="fieldset">
          <legend>Events</legend>
          {SUBSCRIPTION_EVENTS.map((ev) => (
            <Checkbox
              key={ev.value}
              label={
                <>
                  {ev.label} <code className="small">{ev.value}</code>
                </>
              }
              checked={events.includes(ev.value)}
              onChange={(on) =>
                setEvents((cur) => SUBSCRIPTION_EVENTS.map((x) => x.value).filter((v) => (v === ev.value ? on : cur.includes(v))))
              }
            />
          ))}
          {err("events") && <p className="field-error">{err("events")}</p>}
        </fieldset>
        <fieldset className="fieldset">
          <legend>Products</legend>
          <div className="radio-list">
            <label>
              <input type="radio" name="sub-scope" checked={!scoped} onChange={() => setScoped(false)} /> Every product I may see
            </label>
            <label>
              <input type="radio" name="sub-scope" checked={scoped} onChange={() => setScoped(true)} /> Only these products
            </label>
          </div>
          {scoped && (
            <div className="scope-list">
              {products.length === 0 && <p className="muted small">No products.</p>}
              {products.map((p) => (
                <Checkbox
                  key={p.slug}
                  label={p.name}
                  checked={chosen.includes(p.slug)}
                  onChange={(on) => setChosen((c) => (on ? [...c, p.slug] : c.filter((x) => x !== p.slug)))}
                />
              ))}
            </div>
          )}
          {err("products") && <p className="field-error">{err("products")}</p>}
        </fieldset>
        <ProblemAlert error={create.error} shownFields={["email", "webhook_url", "events", "products"]} title="Could not subscribe" />
      </form>
    </Dialog>
  );
}

/** The webhook secret of a new subscription, shown once (nothing to show for e-mail only). */
export function WebhookSecretDialog({ created, onClose }: { created: CreatedSubscription; onClose: () => void }) {
  if (!created.webhook_secret) return null;
  return (
    <SecretDialog title="Subscription created" noun="webhook secret" secret={created.webhook_secret} onClose={onClose}>
      <p className="muted small">
        Verify the <code>webhook-signature</code> header of every request to{" "}
        <span className="mono url-breakable">{created.webhook_url}</span> with this secret (Standard Webhooks: HMAC-SHA256 of{" "}
        <code>webhook-id.webhook-timestamp.body</code>).
      </p>
    </SecretDialog>
  );
}

/** Subscriptions: where they go, what for, and a delete button. */
export function SubscriptionTable({
  subscriptions,
  products,
  onDelete,
}: {
  subscriptions: SubscriptionView[];
  products: ProductChoice[];
  onDelete: (s: SubscriptionView) => void;
}) {
  if (subscriptions.length === 0) {
    return <EmptyState title="No subscriptions">Subscribe by e-mail or webhook to be told when something is published.</EmptyState>;
  }
  const productName = (slug: string) => products.find((p) => p.slug === slug)?.name ?? slug;
  return (
    <TableScroll label="Subscriptions" className="card card-flush">
      <table className="table" data-testid="subscriptions">
        <caption className="visually-hidden">Subscriptions</caption>
        <thead>
          <tr>
            <th scope="col">Delivered to</th>
            <th scope="col">Events</th>
            <th scope="col">Products</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {subscriptions.map((s) => {
            const where = s.webhook_url ?? s.email ?? s.id;
            return (
              <tr key={s.id}>
                <td className="small">
                  {s.email && <div>E-mail {s.email}</div>}
                  {s.webhook_url && (
                    <div>
                      Webhook <span className="mono url-breakable">{s.webhook_url}</span>
                      {s.secret_hint && <div className="muted mono">secret {s.secret_hint}</div>}
                    </div>
                  )}
                </td>
                <td className="small">
                  {s.events.length === SUBSCRIPTION_EVENTS.length && SUBSCRIPTION_EVENTS.every((e) => s.events.includes(e.value))
                    ? "All events"
                    : s.events.map((e) => EVENT_LABELS[e] ?? e).join(", ")}
                </td>
                <td className="small">{s.products ? s.products.map(productName).join(", ") : "All products"}</td>
                <td className="nowrap small">
                  {formatDateTime(s.created_at)}
                  <div className="muted">{s.created_by}</div>
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="button button-small button-danger-outline"
                    aria-label={`Delete the subscription for ${where}`}
                    onClick={() => onDelete(s)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
