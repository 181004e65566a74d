import type { ApiError } from '../api';

/** Shows an API error as the server gave it: the message and every issue with its field. */
export function ErrorMessage({ error, prefix }: { error: ApiError | undefined; prefix?: string }) {
  if (!error) return null;
  return (
    <div role="alert" className="error">
      <p>
        {prefix && `${prefix}: `}
        {error.message}
      </p>
      {error.issues.length > 0 && (
        <ul>
          {error.issues.map((i, n) => (
            <li key={n}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
