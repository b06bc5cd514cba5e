import { useState } from "react";
import { Link } from "react-router";
import { unwrap } from "../api/client";
import type { CreatedSubscription, SubscriptionView } from "../api/types";
import { useInvalidate, useQuery, useTitle } from "../hooks";
import { usePortal } from "./context";
import { usePortalProducts } from "./lists";
import { Async } from "../components/States";
import { Alert } from "../components/Alert";
import { ConfirmDialog } from "../components/ConfirmDialog";
import { CreateSubscriptionDialog, SubscriptionTable, WebhookSecretDialog } from "../components/Subscriptions";

/** The customer's own subscriptions: e-mail and signed webhooks when something it may see is published. */
export function PortalNotifications() {
  useTitle("Notifications");
  const { slug, api, info } = usePortal();
  const signedIn = info.caller.type === "access_token";
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedSubscription | null>(null);
  const [deleting, setDeleting] = useState<SubscriptionView | null>(null);
  const invalidate = useInvalidate();
  const subs = useQuery({
    queryKey: ["portal", slug, "subscriptions"],
    queryFn: () => unwrap(api.GET("/api/v1/portal/{slug}/subscriptions", { params: { path: { slug } } })),
    enabled: signedIn,
  });
  const products = usePortalProducts({ enabled: signedIn });
  const choices = (products.data ?? []).map((p) => ({ slug: p.slug, name: p.name }));
  return (
    <section className="portal-section" aria-labelledby="notifications-heading">
      <div className="row-between wrap">
        <h1 id="notifications-heading" className="section-title">
          Notifications
        </h1>
        {signedIn && (
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New subscription
          </button>
        )}
      </div>
      <p className="section-description">
        Be told when a security advisory, VEX statement, SBOM or document is published for the products you may see, when
        one is withdrawn, and before your access token expires. Webhooks carry the same JSON as the e-mail attachment,
        signed the Standard Webhooks way.
      </p>
      {!signedIn ? (
        <Alert tone="info" title="Sign in to subscribe">
          <p>
            Subscriptions belong to an access token. <Link to={`/portal/${slug}/login`}>Sign in with your access token</Link>.
          </p>
        </Alert>
      ) : (
        <Async resource={subs}>
          {(list) => <SubscriptionTable subscriptions={list} products={choices} onDelete={setDeleting} />}
        </Async>
      )}
      {creating && (
        <CreateSubscriptionDialog
          products={choices}
          onClose={() => setCreating(false)}
          onCreate={(body) => unwrap(api.POST("/api/v1/portal/{slug}/subscriptions", { params: { path: { slug } }, body }))}
          onCreated={(s) => {
            setCreating(false);
            if (s.webhook_secret) setCreated(s);
            invalidate(["portal", slug, "subscriptions"]);
          }}
        />
      )}
      {created && <WebhookSecretDialog created={created} onClose={() => setCreated(null)} />}
      {deleting && (
        <ConfirmDialog
          title="Delete this subscription?"
          confirmLabel="Delete"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await unwrap(api.DELETE("/api/v1/portal/{slug}/subscriptions/{id}", { params: { path: { slug, id: deleting.id } } }));
            invalidate(["portal", slug, "subscriptions"]);
          }}
        >
          <p>Nothing more is sent to {deleting.webhook_url ?? deleting.email}.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
