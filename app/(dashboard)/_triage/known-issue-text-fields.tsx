/** What a person writes of a new known issue: its title, description and ticket link. */
export type KnownIssueText = { title: string; description: string; link: string };

/** A new known issue's title, description and ticket link, as every form that creates one asks for them. */
export function KnownIssueTextFields({ fieldId, value, onChange }: { fieldId: string; value: KnownIssueText; onChange: (value: KnownIssueText) => void }) {
  const { title, description, link } = value;
  return (
    <>
      <div className="field">
        <label htmlFor={`${fieldId}-title`}>Title</label>
        <input
          id={`${fieldId}-title`}
          value={title}
          maxLength={200}
          required
          data-autofocus
          onChange={(event) => onChange({ ...value, title: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-description`}>Description (optional)</label>
        <textarea id={`${fieldId}-description`} value={description} onChange={(event) => onChange({ ...value, description: event.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-link`}>Link to a ticket (optional)</label>
        <input id={`${fieldId}-link`} type="url" placeholder="https://" value={link} onChange={(event) => onChange({ ...value, link: event.target.value })} />
      </div>
    </>
  );
}
