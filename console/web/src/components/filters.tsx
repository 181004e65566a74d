import { useId } from 'react';
import { NO_FILTERS, type BoardFilters, type Choice } from '../board-logic';
import { SEVERITY_ORDER, STATUS_ORDER } from '../types';

interface Props {
  filters: BoardFilters;
  choices: { sites: Choice[]; wings: Choice[]; rules: Choice[] };
  onChange: (filters: BoardFilters) => void;
}

const asChoices = (values: readonly string[]): Choice[] => values.map((v) => ({ value: v, label: v }));

export function Filters({ filters, choices, onChange }: Props) {
  const set = (key: keyof BoardFilters, value: string) =>
    // A wing belongs to a site: changing the site clears the wing.
    onChange({ ...filters, [key]: value, ...(key === 'siteId' && { wingId: '' }) });
  const active = Object.values(filters).some(Boolean);
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <Select
        label="Site"
        value={filters.siteId}
        choices={choices.sites}
        onChange={(v) => set('siteId', v)}
      />
      <Select
        label="Wing"
        value={filters.wingId}
        choices={choices.wings}
        onChange={(v) => set('wingId', v)}
      />
      <Select label="Rule" value={filters.rule} choices={choices.rules} onChange={(v) => set('rule', v)} />
      <Select
        label="Severity"
        value={filters.severity}
        choices={asChoices(SEVERITY_ORDER)}
        onChange={(v) => set('severity', v)}
      />
      <Select
        label="Status"
        value={filters.status}
        choices={asChoices(STATUS_ORDER)}
        onChange={(v) => set('status', v)}
      />
      <button type="button" className="secondary" disabled={!active} onClick={() => onChange(NO_FILTERS)}>
        Clear filters
      </button>
    </form>
  );
}

function Select({
  label,
  value,
  choices,
  onChange,
}: {
  label: string;
  value: string;
  choices: Choice[];
  onChange: (value: string) => void;
}) {
  const id = useId();
  // Keep a chosen value listed even when no alert has it any more.
  const list =
    value && !choices.some((c) => c.value === value) ? [...choices, { value, label: value }] : choices;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All</option>
        {list.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}
