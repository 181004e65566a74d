import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../api';
import { asApiError } from '../alert-feed';
import { ErrorMessage } from '../components/error-message';
import { useSession } from '../feed-context';
import { formatTime } from '../format';
import type { Role } from '../types';
import { adminApi, ROLES, type User, type UserChange } from './admin-api';
import { Field } from './field';
import './admin.css';

/** What the page is doing to one row, so that only one inline form is open at a time. */
type Open = { username: string; form: 'password' | 'delete' } | undefined;

/**
 * Admins manage accounts: list, create, change a role, disable or enable, set a new password, delete (after a
 * confirm step). Every change answers with the server's message; a refusal (4xx) shows it as it is.
 */
export function UsersPage() {
  const me = useSession();
  const [users, setUsers] = useState<User[]>();
  const [error, setError] = useState<{ error: ApiError; prefix: string }>();
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Open>();

  const reload = useCallback(async () => {
    try {
      setUsers((await adminApi.users()).users);
    } catch (err) {
      setError({ error: asApiError(err), prefix: 'Loading users failed' });
    }
  }, []);
  useEffect(() => void reload(), [reload]);

  /** Runs one change; true when the server took it. */
  const run = async (what: string, call: () => Promise<unknown>, success: string): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    setDone('');
    try {
      await call();
      setDone(success);
      await reload();
      return true;
    } catch (err) {
      setError({ error: asApiError(err), prefix: `${what} failed` });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const change = (u: User, c: UserChange, success: string) =>
    run(`Changing ${u.username}`, () => adminApi.updateUser(u.username, c), success);

  return (
    <section className="admin">
      <h1>Users</h1>
      <ErrorMessage error={error?.error} prefix={error?.prefix} />
      <p role="status" className="done">
        {done}
      </p>
      <table className="adm-table">
        <caption>Accounts</caption>
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Changed</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users?.map((u) => (
            <UserRow
              key={u.username}
              user={u}
              self={u.username === me.username}
              busy={busy}
              open={open?.username === u.username ? open.form : undefined}
              onOpen={(form) => setOpen(form && { username: u.username, form })}
              onRole={(role) => change(u, { role }, `${u.username} is now ${role}.`)}
              onDisabled={(disabled) =>
                change(u, { disabled }, `${u.username} is ${disabled ? 'disabled' : 'enabled'}.`)
              }
              onPassword={(password) => change(u, { password }, `New password set for ${u.username}.`)}
              onDelete={() =>
                run(`Deleting ${u.username}`, () => adminApi.deleteUser(u.username), `${u.username} deleted.`)
              }
            />
          ))}
        </tbody>
      </table>
      {users === undefined && !error && <p className="empty">Loading users…</p>}
      <NewUserForm
        busy={busy}
        onCreate={(user) =>
          run(
            `Creating ${user.username}`,
            () => adminApi.createUser(user),
            `${user.username} created (${user.role}).`,
          )
        }
      />
    </section>
  );
}

interface RowProps {
  user: User;
  self: boolean;
  busy: boolean;
  open: 'password' | 'delete' | undefined;
  onOpen: (form: 'password' | 'delete' | undefined) => void;
  onRole: (role: Role) => Promise<boolean>;
  onDisabled: (disabled: boolean) => Promise<boolean>;
  onPassword: (password: string) => Promise<boolean>;
  onDelete: () => Promise<boolean>;
}

function UserRow({ user, self, busy, open, onOpen, onRole, onDisabled, onPassword, onDelete }: RowProps) {
  const [role, setRole] = useState<Role>(user.role);
  const [password, setPassword] = useState('');
  const roleId = useId();
  const passwordId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  useEffect(() => setRole(user.role), [user.role]);
  // The confirm step takes the focus (on its safe choice), and gives it back when it closes.
  useEffect(() => {
    if (open === 'delete') cancelRef.current?.focus();
  }, [open]);

  const close = () => {
    onOpen(undefined);
    deleteRef.current?.focus();
  };
  const savePassword = async (e: FormEvent) => {
    e.preventDefault();
    if (await onPassword(password)) {
      setPassword('');
      onOpen(undefined);
    }
  };

  return (
    <tr
      data-testid="user-row"
      data-username={user.username}
      data-role={user.role}
      data-disabled={String(user.disabled)}
    >
      <th scope="row">
        {user.username}
        {self && <span className="muted"> (you)</span>}
      </th>
      <td>
        <div className="adm-inline">
          <label htmlFor={roleId} className="visually-hidden">
            {`Role of ${user.username}`}
          </label>
          <select id={roleId} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="secondary"
            disabled={busy || role === user.role}
            aria-label={`Change role of ${user.username}`}
            onClick={() => void onRole(role)}
          >
            Change role
          </button>
        </div>
      </td>
      <td>{user.disabled ? 'disabled' : 'active'}</td>
      <td className="adm-time">{formatTime(user.createdAt)}</td>
      <td className="adm-time">{formatTime(user.updatedAt)}</td>
      <td>
        <div className="adm-inline">
          <button
            type="button"
            className="secondary"
            disabled={busy}
            aria-label={`${user.disabled ? 'Enable' : 'Disable'} ${user.username}`}
            onClick={() => void onDisabled(!user.disabled)}
          >
            {user.disabled ? 'Enable' : 'Disable'}
          </button>
          <button
            type="button"
            className="secondary"
            aria-expanded={open === 'password'}
            aria-label={`Set password of ${user.username}`}
            onClick={() => onOpen(open === 'password' ? undefined : 'password')}
          >
            Set password
          </button>
          <button
            ref={deleteRef}
            type="button"
            className="danger"
            disabled={busy}
            aria-label={`Delete ${user.username}`}
            onClick={() => onOpen('delete')}
          >
            Delete
          </button>
        </div>
        {open === 'password' && (
          <form className="adm-inline adm-subform" onSubmit={savePassword}>
            <label htmlFor={passwordId}>{`New password for ${user.username}`}</label>
            <input
              id={passwordId}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <button type="submit" disabled={busy}>
              Save password
            </button>
            <button type="button" className="secondary" onClick={() => onOpen(undefined)}>
              Cancel
            </button>
          </form>
        )}
        {open === 'delete' && (
          <div
            className="adm-inline adm-subform adm-confirm"
            role="group"
            aria-label={`Confirm deleting ${user.username}`}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.stopPropagation();
                close();
              }
            }}
          >
            <span>{`Delete ${user.username}? This cannot be undone.`}</span>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => void onDelete().then((ok) => ok && onOpen(undefined))}
            >
              Confirm delete
            </button>
            <button ref={cancelRef} type="button" className="secondary" onClick={close}>
              Cancel
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

function NewUserForm({
  busy,
  onCreate,
}: {
  busy: boolean;
  onCreate: (user: { username: string; password: string; role: Role }) => Promise<boolean>;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // The server checks every field and names each bad one; the page sends what was typed.
    if (await onCreate({ username: username.trim(), password, role })) {
      setUsername('');
      setPassword('');
    }
  };
  return (
    <form className="adm-form" aria-labelledby="new-user-heading" onSubmit={submit}>
      <h2 id="new-user-heading">New user</h2>
      <Field label="Username">
        {(id) => (
          <input id={id} value={username} autoComplete="off" onChange={(e) => setUsername(e.target.value)} />
        )}
      </Field>
      <Field label="Password">
        {(id) => (
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        )}
      </Field>
      <Field label="Role">
        {(id) => (
          <select id={id} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </Field>
      <button type="submit" disabled={busy}>
        Create user
      </button>
      <p className="muted adm-hint">Passwords have at least 12 characters.</p>
    </form>
  );
}
