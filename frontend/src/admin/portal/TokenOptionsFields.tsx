import { EXPIRY_CHOICES, coveredBy, tlpList, type ExpiresIn, type ProductView, type Tlp } from "../../api/types";
import { TlpBadge } from "../../components/Badge";
import { Checkbox, Field, TlpOptions } from "../../components/Field";

/** The products an access token may read: all of the portal's, or only some. */
export function ProductScope({
  products,
  scoped,
  onScoped,
  productIds,
  onProductIds,
  error,
}: {
  products: ProductView[];
  scoped: boolean;
  onScoped: (scoped: boolean) => void;
  productIds: string[];
  onProductIds: (ids: string[]) => void;
  error?: string;
}) {
  return (
    <fieldset className="fieldset">
      <legend>Products</legend>
      <div className="radio-list">
        <label>
          <input type="radio" name="scope" checked={!scoped} onChange={() => onScoped(false)} /> All products in the portal
        </label>
        <label>
          <input type="radio" name="scope" checked={scoped} onChange={() => onScoped(true)} /> Only these products
        </label>
      </div>
      {scoped && (
        <div className="scope-list">
          {products.length === 0 && <p className="muted small">No products yet.</p>}
          {products.map((p) => (
            <Checkbox
              key={p.id}
              label={p.name}
              checked={productIds.includes(p.id)}
              onChange={(on) => onProductIds(on ? [...productIds, p.id] : productIds.filter((x) => x !== p.id))}
            />
          ))}
        </div>
      )}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

/** A token's TLP clearance: the most restrictive label it may read. */
export function ClearanceField({ value, onChange, error }: { value: Tlp; onChange: (t: Tlp) => void; error?: string }) {
  return (
    <Field
      label="TLP clearance"
      hint={
        <>
          The most restrictive label this customer may read: {tlpList(coveredBy(value))}
          {value === "clear" ? " only" : ""}. CSAF documents without a label are readable by every token.
        </>
      }
      error={error}
    >
      {(c) => (
        <div className="select-with-badge">
          <select {...c} name="max_tlp" value={value} onChange={(e) => onChange(e.target.value as Tlp)}>
            <TlpOptions />
          </select>
          <TlpBadge tlp={value} />
        </div>
      )}
    </Field>
  );
}

/** What a new access token gets besides its name: lifetime, clearance and products. */
export interface TokenOptions {
  expiresIn: ExpiresIn;
  maxTlp: Tlp;
  scoped: boolean;
  productIds: string[];
}

/** A new token's options before anyone changes them: amber clearance, all products. */
export function newTokenOptions(expiresIn: ExpiresIn): TokenOptions {
  return { expiresIn, maxTlp: "amber", scoped: false, productIds: [] };
}

/** The scope's problem before anything is sent: "only these products" with none chosen. */
export const NO_PRODUCT = "Choose at least one product, or give access to all products.";

export function scopeError(o: { scoped: boolean; productIds: string[] }): string | undefined {
  return o.scoped && o.productIds.length === 0 ? NO_PRODUCT : undefined;
}

/**
 * The options of a new access token (expiry, TLP clearance, product scope), as the token form and
 * an access request's approval both ask for them. `fieldError` is the submit's (`expires_in`,
 * `max_tlp`, `product_ids`); `productsError` is the form's own check of the scope, shown first.
 */
export function TokenOptionsFields({
  products,
  value,
  onChange,
  fieldError,
  productsError,
}: {
  products: ProductView[];
  value: TokenOptions;
  onChange: (next: TokenOptions) => void;
  fieldError: (name: string) => string | undefined;
  productsError?: string;
}) {
  return (
    <>
      <Field label="Expires" hint="Shorter periods are safer but need renewing more often." error={fieldError("expires_in")}>
        {(c) => (
          <select
            {...c}
            name="expires_in"
            value={value.expiresIn}
            onChange={(e) => onChange({ ...value, expiresIn: e.target.value as ExpiresIn })}
          >
            {EXPIRY_CHOICES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ClearanceField value={value.maxTlp} onChange={(maxTlp) => onChange({ ...value, maxTlp })} error={fieldError("max_tlp")} />
      <ProductScope
        products={products}
        scoped={value.scoped}
        onScoped={(scoped) => onChange({ ...value, scoped })}
        productIds={value.productIds}
        onProductIds={(productIds) => onChange({ ...value, productIds })}
        error={productsError ?? fieldError("product_ids")}
      />
    </>
  );
}
