import { useState, type FormEvent } from "react";
import { adminApi, unwrap } from "../api/client";
import type { LifecycleStatus, ProductDetail, ProductView, VersionView } from "../api/types";
import { useInvalidate, useQueryClient, useSubmit } from "../hooks";
import { Dialog } from "../components/Dialog";
import { Checkbox, Field } from "../components/Field";
import { ProblemAlert } from "../components/Alert";
import { slugify } from "../format";

interface ProductDialogProps {
  org: string;
  product?: ProductView;
  onClose: () => void;
  onSaved: (p: ProductView) => void;
}

/** Creates a product, or edits one (name, description, portal visibility, archived). */
export function ProductDialog({ org, product, onClose, onSaved }: ProductDialogProps) {
  const editing = product !== undefined;
  const [name, setName] = useState(product?.name ?? "");
  const [slug, setSlug] = useState(product?.slug ?? "");
  const [slugTouched, setSlugTouched] = useState(editing);
  const [description, setDescription] = useState(product?.description ?? "");
  const [portalVisible, setPortalVisible] = useState(product?.portal_visible ?? true);
  const [archived, setArchived] = useState(product?.archived ?? false);
  const formId = editing ? "edit-product-form" : "new-product-form";
  const client = useQueryClient();

  const save = useSubmit(async () => {
    const saved = editing
      ? await unwrap(
          adminApi.PATCH("/api/v1/orgs/{org}/products/{product}", {
            params: { path: { org, product: product.slug } },
            body: { name: name.trim(), description: description.trim(), portal_visible: portalVisible, archived },
          }),
        )
      : await unwrap(
          adminApi.POST("/api/v1/orgs/{org}/products", {
            params: { path: { org } },
            body: {
              name: name.trim(),
              slug: slug.trim(),
              description: description.trim() || null,
              portal_visible: portalVisible,
            },
          }),
        );
    if (editing) client.setQueryData<ProductDetail>(["org", org, "product", product.slug], (p) => p && { ...p, ...saved });
    void client.invalidateQueries({ queryKey: ["org", org, "products"] });
    onSaved(saved);
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void save.submit();
  }

  return (
    <Dialog
      title={editing ? `Edit ${product.name}` : "New product"}
      onClose={onClose}
      dismissible={!save.busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={save.busy}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button-primary" disabled={save.busy}>
            {save.busy ? "Saving…" : editing ? "Save changes" : "Create product"}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={onSubmit} noValidate>
        <Field label="Name" error={save.fieldError("name")}>
          {(c) => (
            <input
              {...c}
              name="name"
              data-autofocus
              required
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                if (!slugTouched) setSlug(slugify(e.target.value));
              }}
            />
          )}
        </Field>
        {!editing && (
          <Field
            label="Slug"
            hint="Identifies the product in URLs and API calls; cannot be changed later."
            error={save.fieldError("slug")}
          >
            {(c) => (
              <input
                {...c}
                name="slug"
                className="mono"
                required
                value={slug}
                onChange={(e) => {
                  setSlugTouched(true);
                  setSlug(e.target.value);
                }}
              />
            )}
          </Field>
        )}
        <Field label="Description" optional error={save.fieldError("description")}>
          {(c) => (
            <textarea {...c} name="description" rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
          )}
        </Field>
        <Checkbox
          label="Show in the customer portal"
          hint="Published evidence of this product appears in the Supplier Portal."
          checked={portalVisible}
          onChange={setPortalVisible}
        />
        {editing && (
          <Checkbox
            label="Archived"
            hint="Archived products keep their published record but take no new versions."
            checked={archived}
            onChange={setArchived}
          />
        )}
        <ProblemAlert error={save.error} shownFields={["name", "slug", "description"]} />
      </form>
    </Dialog>
  );
}

interface VersionDialogProps {
  org: string;
  product: string;
  version?: VersionView;
  onClose: () => void;
  onSaved: (v: VersionView) => void;
}

/** Creates a version, or edits its release date and support period (CRA Art. 13(8)). */
export function VersionDialog({ org, product, version, onClose, onSaved }: VersionDialogProps) {
  const editing = version !== undefined;
  const [name, setName] = useState(version?.version ?? "");
  const [releaseDate, setReleaseDate] = useState(version?.release_date ?? "");
  const [supportUntil, setSupportUntil] = useState(version?.support_until ?? "");
  const [status, setStatus] = useState<LifecycleStatus>(version?.status ?? "supported");
  const [dateError, setDateError] = useState<string | undefined>(undefined);
  const formId = editing ? "edit-version-form" : "new-version-form";
  const invalidate = useInvalidate();

  const save = useSubmit(async () => {
    const body = {
      release_date: releaseDate || null,
      support_until: supportUntil || null,
      status,
    };
    const saved = editing
      ? await unwrap(
          adminApi.PATCH("/api/v1/orgs/{org}/products/{product}/versions/{version}", {
            params: { path: { org, product, version: version.version } },
            body,
          }),
        )
      : await unwrap(
          adminApi.POST("/api/v1/orgs/{org}/products/{product}/versions", {
            params: { path: { org, product } },
            body: { version: name.trim(), ...body },
          }),
        );
    // The product lists its versions (and counts them); the version page shows its support period.
    invalidate(["org", org, "product", product], ["org", org, "products"]);
    onSaved(saved);
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (releaseDate && supportUntil && supportUntil < releaseDate) {
      setDateError("The support period cannot end before the release date.");
      return;
    }
    setDateError(undefined);
    void save.submit();
  }

  return (
    <Dialog
      title={editing ? `Support period of ${version.version}` : "New version"}
      onClose={onClose}
      dismissible={!save.busy}
      footer={
        <>
          <button type="button" className="button" onClick={onClose} disabled={save.busy}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button button-primary" disabled={save.busy}>
            {save.busy ? "Saving…" : editing ? "Save changes" : "Create version"}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={onSubmit} noValidate>
        {!editing && (
          <Field label="Version" hint="As printed on the product, e.g. 2.4.1." error={save.fieldError("version")}>
            {(c) => (
              <input {...c} name="version" data-autofocus required value={name} onChange={(e) => setName(e.target.value)} />
            )}
          </Field>
        )}
        <div className="form-grid">
          <Field label="Release date" optional error={save.fieldError("release_date")}>
            {(c) => (
              <input
                {...c}
                type="date"
                name="release_date"
                data-autofocus={editing ? true : undefined}
                value={releaseDate}
                onChange={(e) => setReleaseDate(e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Supported until"
            optional
            hint="End of the support period; customers see it in the portal."
            error={dateError ?? save.fieldError("support_until")}
          >
            {(c) => (
              <input
                {...c}
                type="date"
                name="support_until"
                value={supportUntil}
                onChange={(e) => setSupportUntil(e.target.value)}
              />
            )}
          </Field>
        </div>
        <Field label="Status" error={save.fieldError("status")}>
          {(c) => (
            <select {...c} name="status" value={status} onChange={(e) => setStatus(e.target.value as LifecycleStatus)}>
              <option value="supported">Supported</option>
              <option value="end_of_support">End of support</option>
            </select>
          )}
        </Field>
        <ProblemAlert error={save.error} shownFields={["version", "release_date", "support_until", "status"]} />
      </form>
    </Dialog>
  );
}
