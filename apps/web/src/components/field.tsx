import { type InputHTMLAttributes, useId } from "react";

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  help?: string;
};

/** A labelled input, with its help text tied to it for screen readers. */
export function Field({ label, help, ...input }: FieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={help ? helpId : undefined} {...input} />
      {help ? (
        <small id={helpId} className="help">
          {help}
        </small>
      ) : null}
    </div>
  );
}
