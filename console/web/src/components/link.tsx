import type { ReactNode } from 'react';
import { followLink } from '../router';

export function Link({
  href,
  children,
  className,
  current,
}: {
  href: string;
  children: ReactNode;
  className?: string;
  current?: boolean;
}) {
  return (
    <a
      href={href}
      className={className}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => followLink(e, href)}
    >
      {children}
    </a>
  );
}
