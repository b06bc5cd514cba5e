import { useEffect, useId, useMemo, useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { adminApi, unwrap } from "../api/client";
import {
  CHECKLIST_STATUSES,
  jsonChecklist,
  type Acknowledgement,
  type ArtifactKind,
  type ArtifactStatus,
  type ArtifactView,
  type ChecklistSection,
  type ChecklistStatus,
  type ProductChecklist,
  type SectionAnswer,
  type UpdateChecklist,
} from "../api/types";
import { useQuery, useQueryClient, useSubmit, useTitle } from "../hooks";
import { useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async, EmptyState, Loading } from "../components/States";
import { Alert, ProblemAlert } from "../components/Alert";
import { Field, Switch } from "../components/Field";
import { CopyableHash } from "../components/Download";
import { Badge, ChecklistStatusBadge, StatusBadge } from "../components/Badge";
import {
  ChecklistDocument,
  MarkdownButton,
  markdownFilename,
  PrintButton,
  sectionAnchor,
} from "../components/Checklist";
import { formatDateTime, shortHash } from "../format";
import { TableScroll } from "../components/TableScroll";

/** One section's answer as the form holds it (empty strings for "none"). */
export interface SectionDraft {
  status: ChecklistStatus | "";
  statement: string;
  evidence: string[];
  reviewer: string;
  review_date: string;
}

export function draftOf(s: ChecklistSection): SectionDraft {
  return {
    status: s.status ?? "",
    statement: s.statement,
    evidence: s.evidence.map((e) => e.artifact_id),
    reviewer: s.reviewer ?? "",
    review_date: s.review_date ?? "",
  };
}

/** The `PUT …/checklist` body: every section in the checklist's order ("none" sent as null). */
export function toUpdate(
  published: boolean,
  sections: Pick<ChecklistSection, "id">[],
  drafts: Record<string, SectionDraft>,
): UpdateChecklist {
  return {
    published,
    sections: sections.map((s): SectionAnswer => {
      const d = drafts[s.id]!;
      return {
        id: s.id,
        status: d.status || null,
        statement: d.statement.trim(),
        evidence: d.evidence,
        reviewer: d.reviewer.trim() || null,
        review_date: d.review_date || null,
      };
    }),
  };
}

/** An artifact that can be named as evidence: the product's artifacts, and any already named. */
interface EvidenceOption {
  id: string;
  kind: ArtifactKind;
  name: string;
  filename: string;
  version?: string;
  status: ArtifactStatus;
}

function evidenceOptions(artifacts: ArtifactView[], checklist: ProductChecklist): EvidenceOption[] {
  const options: EvidenceOption[] = artifacts.map((a) => ({
    id: a.id,
    kind: a.kind,
    name: a.title || a.filename,
    filename: a.filename,
    version: a.product_version.version,
    status: a.status,
  }));
  const known = new Set(options.map((o) => o.id));
  for (const s of checklist.sections) {
    for (const e of s.evidence) {
      if (known.has(e.artifact_id)) continue;
      known.add(e.artifact_id);
      options.push({ id: e.artifact_id, kind: e.kind, name: e.title || e.filename, filename: e.filename, status: e.status });
    }
  }
  return options;
}

/** The fields of a section the form shows next to their controls (`sections[3].evidence`). */
const SECTION_FIELDS = ["status", "statement", "evidence", "reviewer", "review_date", "id"] as const;

function EvidencePicker({
  options,
  selected,
  onChange,
  error,
  disabled,
}: {
  options: EvidenceOption[];
  selected: string[];
  onChange: (ids: string[]) => void;
  error?: string;
  disabled: boolean;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset
      className={`fieldset evidence-fieldset${error ? " field-invalid" : ""}`}
      aria-describedby={error ? errorId : undefined}
      disabled={disabled}
    >
      <legend>
        Evidence <span className="field-optional">(optional)</span>
      </legend>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {options.length === 0 ? (
        <p className="muted small">
          This product has no artifacts yet: upload them on a version’s page, then name them here.
        </p>
      ) : (
        <ul className="plain-list scope-list evidence-options">
          {options.map((o) => (
            <li key={o.id} className="checkbox">
              <input
                id={`${id}-${o.id}`}
                type="checkbox"
                checked={selected.includes(o.id)}
                onChange={(e) =>
                  onChange(e.target.checked ? [...selected, o.id] : selected.filter((id) => id !== o.id))
                }
              />
              <label htmlFor={`${id}-${o.id}`} className="evidence-option">
                <StatusBadge status={o.kind} /> <span>{o.name}</span>
                {o.name !== o.filename && <span className="muted small"> {o.filename}</span>}
                {o.version && <span className="mono small"> {o.version}</span>}
                {o.status !== "published" && (
                  <>
                    {" "}
                    <StatusBadge status={o.status} />
                  </>
                )}
              </label>
            </li>
          ))}
        </ul>
      )}
      <p className="field-hint">Customers see published evidence their access token may read; drafts and withdrawn artifacts are left out.</p>
    </fieldset>
  );
}

function SectionEditor({
  index,
  section,
  draft,
  onChange,
  options,
  fieldError,
  disabled,
}: {
  index: number;
  section: ChecklistSection;
  draft: SectionDraft;
  onChange: (d: SectionDraft) => void;
  options: EvidenceOption[];
  fieldError: (name: string) => string | undefined;
  disabled: boolean;
}) {
  const f = (k: string) => fieldError(`sections[${index}].${k}`);
  const sectionErrors = [f("id"), fieldError(`sections[${index}]`)].filter((m): m is string => !!m);
  const invalid = SECTION_FIELDS.some((k) => f(k)) || sectionErrors.length > 0;
  const headingId = `${sectionAnchor(section.id)}-title`;
  const title = `${index + 1}. ${section.title}`;
  return (
    <section
      id={sectionAnchor(section.id)}
      className={`card checklist-section${invalid ? " checklist-section-invalid" : ""}`}
      aria-labelledby={headingId}
      data-section={section.id}
    >
      <div className="checklist-section-head">
        <h2 id={headingId} className="checklist-section-title" tabIndex={-1}>
          {title}
        </h2>
        <ChecklistStatusBadge status={draft.status || null} />
      </div>
      {sectionErrors.map((m, i) => (
        <p key={i} className="field-error">
          {m}
        </p>
      ))}
      <ul className="checklist-clauses">
        {section.clauses.map((c, i) => (
          <li key={i}>{c}</li>
        ))}
      </ul>
      <div className="checklist-answer">
        <Field label="Status" error={f("status")} className="checklist-status-field">
          {(c) => (
            <select
              {...c}
              disabled={disabled}
              value={draft.status}
              onChange={(e) => onChange({ ...draft, status: e.target.value as ChecklistStatus | "" })}
            >
              <option value="">Not assessed</option>
              {CHECKLIST_STATUSES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Statement"
          optional
          hint="How this product meets the section, in the words customers will read."
          error={f("statement")}
        >
          {(c) => (
            <textarea
              {...c}
              rows={4}
              disabled={disabled}
              value={draft.statement}
              onChange={(e) => onChange({ ...draft, statement: e.target.value })}
            />
          )}
        </Field>
        <EvidencePicker
          options={options}
          selected={draft.evidence}
          onChange={(evidence) => onChange({ ...draft, evidence })}
          error={f("evidence")}
          disabled={disabled}
        />
        <div className="form-grid">
          <Field label="Reviewer" optional error={f("reviewer")}>
            {(c) => (
              <input
                {...c}
                disabled={disabled}
                value={draft.reviewer}
                onChange={(e) => onChange({ ...draft, reviewer: e.target.value })}
              />
            )}
          </Field>
          <Field label="Review date" optional error={f("review_date")}>
            {(c) => (
              <input
                {...c}
                type="date"
                disabled={disabled}
                value={draft.review_date}
                onChange={(e) => onChange({ ...draft, review_date: e.target.value })}
              />
            )}
          </Field>
        </div>
      </div>
    </section>
  );
}

/** The checklist's answers as a form: publish toggle, a card per section, Save. */
export function ChecklistEditor({
  org,
  checklist,
  artifacts,
  canPublish,
  onSaved,
}: {
  org: string;
  checklist: ProductChecklist;
  artifacts: ArtifactView[];
  canPublish: boolean;
  onSaved: (c: ProductChecklist) => void;
}) {
  const [base, setBase] = useState(checklist);
  const [published, setPublished] = useState(checklist.published);
  const [drafts, setDrafts] = useState<Record<string, SectionDraft>>(() =>
    Object.fromEntries(checklist.sections.map((s) => [s.id, draftOf(s)])),
  );
  const [saved, setSaved] = useState(false);
  const options = useMemo(() => evidenceOptions(artifacts, base), [artifacts, base]);

  const body = toUpdate(published, base.sections, drafts);
  const savedBody = useMemo(
    () => toUpdate(base.published, base.sections, Object.fromEntries(base.sections.map((s) => [s.id, draftOf(s)]))),
    [base],
  );
  const dirty = JSON.stringify(body) !== JSON.stringify(savedBody);
  useEffect(() => {
    if (dirty) setSaved(false);
  }, [dirty]);

  const save = useSubmit(async () => {
    const c = await unwrap(
      adminApi.PUT("/api/v1/orgs/{org}/products/{product}/checklist", {
        params: { path: { org, product: base.product_slug } },
        body,
      }),
    );
    setBase(c);
    setPublished(c.published);
    setDrafts(Object.fromEntries(c.sections.map((s) => [s.id, draftOf(s)])));
    setSaved(true);
    onSaved(c);
  });

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!(await save.submit())) {
      // Take the reader to the first section the server complained about.
      window.setTimeout(() => {
        const first = document.querySelector<HTMLElement>(".checklist-section-invalid .checklist-section-title");
        first?.focus();
      });
    }
  }

  const fieldsOf = (i: number) => [`sections[${i}]`, ...SECTION_FIELDS.map((k) => `sections[${i}].${k}`)];
  const shownFields = base.sections.flatMap((_, i) => fieldsOf(i));
  const invalidAt = (i: number) => fieldsOf(i).some((f) => save.fieldError(f) !== undefined);
  const disabled = !canPublish || save.busy;

  return (
    <form className="checklist-editor no-print" onSubmit={onSubmit} noValidate aria-label="CRA checklist answers">
      {!canPublish && (
        <Alert tone="info" title="Read only">
          Publishers and admins answer the checklist; you can read it, download it and print it.
        </Alert>
      )}
      <div className="card">
        <Switch
          label="Published to customers"
          checked={published}
          disabled={disabled}
          onChange={setPublished}
          hint="Customers see the saved checklist on this product’s page in the Supplier Portal, with the evidence their access token may read, and can acknowledge it."
        />
        <nav aria-label="Sections" className="checklist-toc">
          <ol>
            {base.sections.map((s, i) => (
              <li key={s.id}>
                <a href={`#${sectionAnchor(s.id)}`}>{s.title}</a> <ChecklistStatusBadge status={drafts[s.id]!.status || null} />
                {invalidAt(i) && <span className="field-error toc-error"> needs attention</span>}
              </li>
            ))}
          </ol>
        </nav>
      </div>
      {base.sections.map((s, i) => (
        <SectionEditor
          key={s.id}
          index={i}
          section={s}
          draft={drafts[s.id]!}
          onChange={(d) => setDrafts((all) => ({ ...all, [s.id]: d }))}
          options={options}
          fieldError={save.fieldError}
          disabled={disabled}
        />
      ))}
      {canPublish && (
        <div className="checklist-savebar">
          <ProblemAlert error={save.error} shownFields={shownFields} title="Could not save the checklist" />
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={save.busy}>
              {save.busy ? "Saving…" : "Save checklist"}
            </button>
            <span role="status" aria-live="polite" className="small">
              {saved && !dirty ? <span className="ok">Saved</span> : dirty ? <span className="muted">Unsaved changes</span> : ""}
            </span>
          </div>
          {dirty && (
            <p className="muted small">Download Markdown and Print show the saved checklist: save first to include your changes.</p>
          )}
          <p className="muted small">
            Evidence is chosen among this product’s artifacts; <Link to={`/admin/${org}/artifacts?product=${base.product_slug}`}>see them all</Link>.
          </p>
        </div>
      )}
    </form>
  );
}

function AcknowledgementTable({ org, acks, isAdmin }: { org: string; acks: Acknowledgement[]; isAdmin: boolean }) {
  if (acks.length === 0) {
    return (
      <EmptyState title="No acknowledgements yet">
        Customers acknowledge the published checklist in the Supplier Portal, signed in with their access token.
      </EmptyState>
    );
  }
  return (
    <TableScroll label="Customer acknowledgements" className="card card-flush">
      <table className="table">
        <caption className="visually-hidden">Customer acknowledgements</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Title</th>
            <th scope="col">Token</th>
            <th scope="col">Date</th>
            <th scope="col">SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {acks.map((a) => (
            <tr key={a.id}>
              <td className="strong">{a.name}</td>
              <td>{a.title}</td>
              <td>
                {isAdmin ? (
                  <Link to={`/admin/${org}/settings/portal/tokens/${a.token_id}`}>{a.token_name || shortHash(a.token_id, 8)}</Link>
                ) : (
                  a.token_name || <span className="mono">{shortHash(a.token_id, 8)}</span>
                )}
              </td>
              <td className="nowrap">{formatDateTime(a.acknowledged_at)}</td>
              <td>
                <CopyableHash value={a.sha256} short={12} label={`the SHA-256 of the text ${a.name} acknowledged`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function ChecklistPage() {
  const { product: productSlug = "" } = useParams();
  const { org, canPublish, isAdmin } = useOrg();
  const path = { org: org.slug, product: productSlug };
  const client = useQueryClient();
  const checklistKey = ["org", org.slug, "product", productSlug, "checklist"];
  const checklist = useQuery({
    queryKey: checklistKey,
    queryFn: async () =>
      jsonChecklist(await unwrap(adminApi.GET("/api/v1/orgs/{org}/products/{product}/checklist", { params: { path } }))),
  });
  const artifacts = useQuery({
    queryKey: ["org", org.slug, "artifacts", { product: productSlug, limit: 500 }],
    queryFn: () =>
      unwrap(
        adminApi.GET("/api/v1/orgs/{org}/artifacts", {
          params: { path: { org: org.slug }, query: { product: productSlug, limit: 500 } },
        }),
      ),
  });
  const acks = useQuery({
    queryKey: [...checklistKey, "acknowledgements"],
    queryFn: () =>
      unwrap(adminApi.GET("/api/v1/orgs/{org}/products/{product}/checklist/acknowledgements", { params: { path } })),
  });
  const productName = checklist.data?.product_name ?? productSlug;
  useTitle(`CRA checklist · ${productName}`);

  const markdown = async () =>
    (await unwrap(
      adminApi.GET("/api/v1/orgs/{org}/products/{product}/checklist", {
        params: { path, query: { format: "markdown" } },
        parseAs: "blob",
      }),
    )) as Blob;

  return (
    <Async resource={checklist}>
      {(c) => {
        const met = c.sections.filter((s) => s.status === "met").length;
        return (
          <div className="checklist-page">
            <div className="no-print">
              <PageHeader
                crumbs={[
                  { label: "Products", to: `/admin/${org.slug}/products` },
                  { label: c.product_name, to: `/admin/${org.slug}/products/${c.product_slug}` },
                  { label: "CRA checklist" },
                ]}
                title="CRA checklist"
                badges={c.published ? <Badge tone="success">Published</Badge> : <Badge>Not published</Badge>}
                subtitle={
                  <>
                    <p>
                      How {c.product_name} meets the {c.sections.length} sections of the CRA vendor checklist buyers hand
                      their suppliers, with evidence. {met} of {c.sections.length} met.
                    </p>
                    <p className="small muted">
                      {c.updated_at
                        ? `Last saved ${formatDateTime(c.updated_at)}${c.updated_by ? ` by ${c.updated_by}` : ""}`
                        : "Not answered yet"}
                    </p>
                  </>
                }
                actions={
                  <>
                    <MarkdownButton fetchBlob={markdown} filename={markdownFilename(c.product_slug)} />
                    <PrintButton />
                    {isAdmin && (
                      <Link to={`/admin/${org.slug}/settings/checklist-template`} className="button">
                        Edit template
                      </Link>
                    )}
                  </>
                }
              />
              {artifacts.error && !artifacts.data ? (
                <ProblemAlert error={artifacts.error} title="Could not load the product’s artifacts" />
              ) : artifacts.data === undefined ? (
                <Loading label="Loading the product’s artifacts…" />
              ) : (
                <ChecklistEditor
                  org={org.slug}
                  checklist={c}
                  artifacts={artifacts.data}
                  canPublish={canPublish}
                  onSaved={(saved) => client.setQueryData(checklistKey, saved)}
                />
              )}
              <section aria-labelledby="acks-heading" className="checklist-acks">
                <h2 id="acks-heading" className="section-title">
                  Customer acknowledgements
                </h2>
                <p className="muted small section-description">
                  Who acknowledged the published checklist, with their access token and the SHA-256 of the text they read
                  (it changes whenever the checklist does).
                </p>
                <Async resource={acks}>{(list) => <AcknowledgementTable org={org.slug} acks={list} isAdmin={isAdmin} />}</Async>
              </section>
            </div>
            <ChecklistDocument checklist={c} partner={org.name} printOnly />
          </div>
        );
      }}
    </Async>
  );
}
