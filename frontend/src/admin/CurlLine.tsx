import { useId, useState } from "react";
import { CopyButton } from "../components/CopyButton";
import { Field } from "../components/Field";

export function curlLine(origin: string, org: string, product: string, version: string): string {
  const url = `${origin}/api/v1/orgs/${org}/products/${encodeURIComponent(product)}/versions/${encodeURIComponent(version)}/artifacts?auto_create=true`;
  return `curl -X POST -H "X-Api-Key: $KEY" -H "Content-Type: application/vnd.cyclonedx+json" --data-binary @bom.json "${url}"`;
}

/** A ready-to-paste upload command for CI, with the product and version filled in. */
export function CurlSnippet({ org, initialProduct = "my-product" }: { org: string; initialProduct?: string }) {
  const [product, setProduct] = useState(initialProduct);
  const [version, setVersion] = useState("1.0.0");
  const id = useId();
  const line = curlLine(window.location.origin, org, product || "my-product", version || "1.0.0");
  return (
    <section className="curl" aria-labelledby={id}>
      <h3 id={id} className="subsection-title">
        Push an SBOM from CI
      </h3>
      <p className="muted small">
        Store the key as the secret <code>KEY</code> in your pipeline, then upload each build’s SBOM. The product and
        version are created when missing.
      </p>
      <div className="form-grid">
        <Field label="Product slug">
          {(c) => <input {...c} className="mono" value={product} onChange={(e) => setProduct(e.target.value)} />}
        </Field>
        <Field label="Version">
          {(c) => <input {...c} className="mono" value={version} onChange={(e) => setVersion(e.target.value)} />}
        </Field>
      </div>
      <pre className="code-block" data-testid="curl-line">
        <code>{line}</code>
      </pre>
      <CopyButton text={line} label="Copy command" />
    </section>
  );
}
