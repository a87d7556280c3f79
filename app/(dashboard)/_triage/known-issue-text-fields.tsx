/** A new known issue's title, description and ticket link, as every form that creates one asks for them. */
export function KnownIssueTextFields({
  fieldId,
  title,
  description,
  link,
  onTitle,
  onDescription,
  onLink,
}: {
  fieldId: string;
  title: string;
  description: string;
  link: string;
  onTitle: (title: string) => void;
  onDescription: (description: string) => void;
  onLink: (link: string) => void;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${fieldId}-title`}>Title</label>
        <input id={`${fieldId}-title`} value={title} maxLength={200} required data-autofocus onChange={(event) => onTitle(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-description`}>Description (optional)</label>
        <textarea id={`${fieldId}-description`} value={description} onChange={(event) => onDescription(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${fieldId}-link`}>Link to a ticket (optional)</label>
        <input id={`${fieldId}-link`} type="url" placeholder="https://" value={link} onChange={(event) => onLink(event.target.value)} />
      </div>
    </>
  );
}
