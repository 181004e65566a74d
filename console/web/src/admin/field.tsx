import { useId, type ReactNode } from 'react';

/** A control with its own `<label for>`: its accessible name is exactly the label, not the label plus the value. */
export function Field({
  label,
  className = 'adm-field',
  children,
}: {
  label: string;
  className?: string;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}
