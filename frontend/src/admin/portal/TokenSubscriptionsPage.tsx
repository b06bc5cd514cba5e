import { useState } from "react";
import { useParams } from "react-router";
import { adminApi, unwrap } from "../../api/client";
import type { CreatedSubscription, SubscriptionView } from "../../api/types";
import { useResource, useTitle } from "../../hooks";
import { useOrg } from "../context";
import { PageHeader } from "../../components/PageHeader";
import { Async } from "../../components/States";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CreateSubscriptionDialog, SubscriptionTable, WebhookSecretDialog } from "../../components/Subscriptions";
import { AdminsOnly } from "./PortalSettingsPage";

/** One access token's notification subscriptions, managed by an admin on the customer's behalf. */
export function TokenSubscriptionsPage() {
  const { id = "" } = useParams();
  const { org, isAdmin } = useOrg();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedSubscription | null>(null);
  const [deleting, setDeleting] = useState<SubscriptionView | null>(null);
  const path = { org: org.slug, id };
  const tokens = useResource(
    () => (isAdmin ? unwrap(adminApi.GET("/api/v1/orgs/{org}/portal/tokens", { params: { path: { org: org.slug } } })) : Promise.resolve([])),
    [org.slug, isAdmin],
  );
  const subs = useResource(
    () =>
      isAdmin
        ? unwrap(adminApi.GET("/api/v1/orgs/{org}/portal/tokens/{id}/subscriptions", { params: { path } }))
        : Promise.resolve([] as SubscriptionView[]),
    [org.slug, id, isAdmin],
  );
  const products = useResource(
    () => unwrap(adminApi.GET("/api/v1/orgs/{org}/products", { params: { path: { org: org.slug } } })),
    [org.slug],
  );
  const token = tokens.data?.find((t) => t.id === id);
  const name = token?.name ?? "Access token";
  useTitle(`${name} · Subscriptions`);
  const choices = (products.data ?? []).map((p) => ({ slug: p.slug, name: p.name }));
  if (!isAdmin) return <AdminsOnly what="manage a token’s subscriptions" />;
  return (
    <>
      <PageHeader
        crumbs={[
          { label: "Settings" },
          { label: "Supplier Portal", to: `/admin/${org.slug}/settings/portal` },
          { label: "Access Tokens", to: `/admin/${org.slug}/settings/portal/tokens` },
          { label: name, to: `/admin/${org.slug}/settings/portal/tokens/${id}` },
          { label: "Subscriptions" },
        ]}
        title={`Subscriptions of ${name}`}
        subtitle={
          <>
            Where this customer is told about new advisories, VEX, SBOMs and documents it may see.
            {token?.contact_email && (
              <>
                {" "}
                Its contact address <strong>{token.contact_email}</strong> is told about vulnerabilities in what it received
                in any case.
              </>
            )}
          </>
        }
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New subscription
          </button>
        }
      />
      <Async resource={subs}>
        {(list) => <SubscriptionTable subscriptions={list} products={choices} onDelete={setDeleting} />}
      </Async>
      {creating && (
        <CreateSubscriptionDialog
          products={choices}
          onClose={() => setCreating(false)}
          onCreate={(body) =>
            unwrap(adminApi.POST("/api/v1/orgs/{org}/portal/tokens/{id}/subscriptions", { params: { path }, body }))
          }
          onCreated={(s) => {
            setCreating(false);
            if (s.webhook_secret) setCreated(s);
            subs.reload();
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
            subs.reload();
          }}
        >
          <p>Nothing more is sent to {deleting.webhook_url ?? deleting.email}.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
