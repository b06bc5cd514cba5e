import { useState } from "react";
import { useParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import type { CreatedSubscription, SubscriptionView } from "../../api/types";
import { useInvalidate, useQuery, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async } from "../../components/States";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CreateSubscriptionDialog, SubscriptionTable, WebhookSecretDialog } from "../../components/Subscriptions";
import { AdminsOnly } from "./PortalSettingsPage";
import { tokenPath } from "../links";
import { useAccessToken } from "./tokenQuery";

/**
 * One access token's subscriptions: the table, and the dialogs to add one (its webhook secret
 * shown once) and delete one. Whoever shows it owns the "New subscription" button (`creating`).
 */
export function TokenSubscriptionList({
  id,
  creating,
  onCreating,
}: {
  id: string;
  creating: boolean;
  onCreating: (open: boolean) => void;
}) {
  const { org } = useOrg();
  const [created, setCreated] = useState<CreatedSubscription | null>(null);
  const [deleting, setDeleting] = useState<SubscriptionView | null>(null);
  const path = { org: org.slug, id };
  const invalidate = useInvalidate();
  const subsKey = ["org", org.slug, "portal", "token", id, "subscriptions"];
  const subs = useQuery({
    queryKey: subsKey,
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/portal/tokens/{id}/subscriptions", { params: { path } })),
  });
  const products = useQuery({
    queryKey: ["org", org.slug, "products", {}],
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/products", { params: { path: { org: org.slug } } })),
  });
  const choices = (products.data ?? []).map((p) => ({ slug: p.slug, name: p.name }));
  return (
    <>
      <Async resource={subs}>
        {(list) => <SubscriptionTable subscriptions={list} products={choices} onDelete={setDeleting} />}
      </Async>
      {creating && (
        <CreateSubscriptionDialog
          products={choices}
          onClose={() => onCreating(false)}
          onCreate={(body) =>
            unwrap(adminApi.POST("/api/v1/orgs/{org}/portal/tokens/{id}/subscriptions", { params: { path }, body }))
          }
          onCreated={(s) => {
            onCreating(false);
            if (s.webhook_secret) setCreated(s);
            invalidate(subsKey);
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
            await unwrap(
              adminApi.DELETE("/api/v1/orgs/{org}/portal/tokens/{id}/subscriptions/{sid}", {
                params: { path: { ...path, sid: deleting.id } },
              }),
            );
            invalidate(subsKey);
          }}
        >
          <p>Nothing more is sent to {deleting.webhook_url ?? deleting.email}.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Where a token's customer is told about news, in a sentence (its contact address included). */
export function SubscriptionsHint({ contactEmail }: { contactEmail?: string | null }) {
  return (
    <>
      Where this customer is told about new advisories, VEX, SBOMs and documents it may see.
      {contactEmail && (
        <>
          {" "}
          Its contact address <strong>{contactEmail}</strong> is told about vulnerabilities in what it received in any
          case.
        </>
      )}
    </>
  );
}

/** One access token's notification subscriptions, managed by an admin on the customer's behalf. */
export function TokenSubscriptionsPage() {
  const { id = "" } = useParams();
  const { org, isAdmin } = useOrg();
  const [creating, setCreating] = useState(false);
  const token = useAccessToken(org.slug, id, isAdmin).data;
  const name = token?.name ?? "Access token";
  useTitle(`${name} · Subscriptions`);
  if (!isAdmin) return <AdminsOnly what="manage a token’s subscriptions" />;
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Settings" },
          { label: "Supplier Portal", to: `/admin/${org.slug}/settings/portal` },
          { label: "Access Tokens", to: `/admin/${org.slug}/settings/portal/tokens` },
          { label: name, to: tokenPath(org.slug, id) },
          { label: "Subscriptions" },
        ]}
        title={`Subscriptions of ${name}`}
        subtitle={<SubscriptionsHint contactEmail={token?.contact_email} />}
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New subscription
          </button>
        }
      />
      <TokenSubscriptionList id={id} creating={creating} onCreating={setCreating} />
    </>
  );
}
