import { useState, type FormEvent } from "react";
import { adminApi, unwrap } from "../api/client";
import type { ChecklistTemplate, TemplateSection } from "../api/types";
import { useQuery, useQueryClient, useSubmit, useTitle } from "../hooks";
import { useOrg } from "./context";
import { PageHeader } from "../components/PageHeader";
import { Async } from "../components/States";
import { Alert, ProblemAlert } from "../components/Alert";
import { Field } from "../components/Field";

/** The `PUT …/checklist-template` body: titles trimmed, blank clauses left out. */
export function toTemplate(sections: TemplateSection[]): ChecklistTemplate {
  return {
    sections: sections.map((s) => ({
      id: s.id,
      title: s.title.trim(),
      clauses: s.clauses.map((c) => c.trim()).filter((c) => c !== ""),
    })),
  };
}

function TemplateForm({
  org,
  template,
  canEdit,
  onSaved,
}: {
  org: string;
  template: ChecklistTemplate;
  canEdit: boolean;
  onSaved: (t: ChecklistTemplate) => void;
}) {
  const [sections, setSections] = useState<TemplateSection[]>(template.sections);
  const [saved, setSaved] = useState(false);

  const save = useSubmit(async () => {
    const t = await unwrap(
      adminApi.PUT("/api/v1/orgs/{org}/checklist-template", { params: { path: { org } }, body: toTemplate(sections) }),
    );
    setSections(t.sections);
    onSaved(t);
    setSaved(true);
  });

  function update(i: number, s: TemplateSection) {
    setSaved(false);
    setSections((all) => all.map((x, j) => (j === i ? s : x)));
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    void save.submit();
  }

  const shownFields = sections.flatMap((_, i) => [`sections[${i}].title`, `sections[${i}].clauses`]);
  const disabled = !canEdit || save.busy;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Checklist template">
      {sections.map((s, i) => (
        <section key={s.id} className="card template-section" aria-labelledby={`template-${s.id}`} data-section={s.id}>
          <h2 id={`template-${s.id}`} className="card-title">
            {i + 1}. {s.title || <span className="muted">Untitled</span>}{" "}
            <span className="muted small mono" title="The section’s stable id: answers are kept by it">
              {s.id}
            </span>
          </h2>
          <Field label="Title" error={save.fieldError(`sections[${i}].title`)}>
            {(c) => <input {...c} disabled={disabled} value={s.title} onChange={(e) => update(i, { ...s, title: e.target.value })} />}
          </Field>
          <fieldset className="fieldset">
            <legend>Clauses</legend>
            {save.fieldError(`sections[${i}].clauses`) && (
              <p className="field-error">{save.fieldError(`sections[${i}].clauses`)}</p>
            )}
            {s.clauses.map((clause, j) => (
              <div key={j} className="clause-row">
                <Field label={`Clause ${j + 1}`} className="clause-field">
                  {(c) => (
                    <textarea
                      {...c}
                      rows={2}
                      disabled={disabled}
                      value={clause}
                      onChange={(e) => update(i, { ...s, clauses: s.clauses.map((x, k) => (k === j ? e.target.value : x)) })}
                    />
                  )}
                </Field>
                {canEdit && (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={save.busy}
                    aria-label={`Remove clause ${j + 1} of ${s.title || s.id}`}
                    onClick={() => update(i, { ...s, clauses: s.clauses.filter((_, k) => k !== j) })}
                  >
                    Remove
                  </button>
                )}
              </div>
            ))}
            {canEdit && (
              <button
                type="button"
                className="button button-small"
                disabled={save.busy}
                onClick={() => update(i, { ...s, clauses: [...s.clauses, ""] })}
              >
                Add clause
              </button>
            )}
          </fieldset>
        </section>
      ))}
      {canEdit && (
        <>
          <ProblemAlert error={save.error} shownFields={shownFields} title="Could not save the template" />
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={save.busy}>
              {save.busy ? "Saving…" : "Save template"}
            </button>
            <span role="status" aria-live="polite" className="ok small">
              {saved ? "Saved" : ""}
            </span>
          </div>
        </>
      )}
    </form>
  );
}

/** Settings › Checklist template: the sections every product's CRA checklist answers (admins edit). */
export function ChecklistTemplatePage() {
  useTitle("Checklist template");
  const { org, isAdmin } = useOrg();
  const client = useQueryClient();
  const templateKey = ["org", org.slug, "checklist-template"];
  const template = useQuery({
    queryKey: templateKey,
    queryFn: () => unwrap(adminApi.GET("/api/v1/orgs/{org}/checklist-template", { params: { path: { org: org.slug } } })),
  });
  function onSaved(saved: ChecklistTemplate) {
    client.setQueryData(templateKey, saved);
    // Every product's checklist answers the template's sections.
    void client.invalidateQueries({ queryKey: ["org", org.slug, "product"] });
  }
  return (
    <>
      <PageHeader
        title="Checklist template"
        subtitle="The sections and clauses of the CRA vendor checklist every product answers. Answers are kept by section, so editing a title or a clause keeps them; customers see the change at once on published checklists (earlier acknowledgements name the text as it was then)."
      />
      {!isAdmin && (
        <Alert tone="info" title="Administrators only">
          Only organisation administrators can edit the template.
        </Alert>
      )}
      <Async resource={template}>
        {(t) => <TemplateForm org={org.slug} template={t} canEdit={isAdmin} onSaved={onSaved} />}
      </Async>
    </>
  );
}
