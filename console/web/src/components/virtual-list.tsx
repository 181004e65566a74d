import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { scrollToReveal, visibleWindow } from '../windowing';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  label: string;
  getKey: (item: T) => string;
  renderRow: (item: T, index: number) => ReactNode;
  overscan?: number;
  initialScrollTop?: number;
  /** The key of a row to focus on mount (scrolled into view first), as the keyboard left it. */
  initialFocusKey?: string;
  onScrollTopChange?: (top: number) => void;
}

/**
 * A windowed list of fixed-height rows: however many items, only those in view (and `overscan` around) are in
 * the DOM. Each row's first focusable element takes part in arrow-key navigation (Up, Down, Home, End, PageUp,
 * PageDown), scrolling rows that are not rendered yet into view first.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  label,
  getKey,
  renderRow,
  overscan = 8,
  initialScrollTop = 0,
  initialFocusKey,
  onScrollTopChange,
}: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(initialScrollTop);
  const [viewport, setViewport] = useState(0);
  const [focusIndex, setFocusIndex] = useState<number | undefined>();

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (initialScrollTop) el.scrollTop = initialScrollTop;
    // jsdom (and a list not laid out yet) reports 0: assume a window's height until measured.
    const measure = () => setViewport(el.clientHeight || window.innerHeight || 800);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
    // The first scroll position only matters on mount.
  }, []);

  const { start, end } = visibleWindow(items.length, rowHeight, scrollTop, viewport, overscan);

  const scrollTo = useCallback(
    (top: number) => {
      const el = scroller.current;
      if (el) el.scrollTop = top;
      setScrollTop(top);
      onScrollTopChange?.(top);
    },
    [onScrollTopChange],
  );

  // Focus moves after the target row has been rendered.
  useEffect(() => {
    if (focusIndex === undefined) return;
    const row = scroller.current?.querySelector<HTMLElement>(
      `[data-index="${focusIndex}"] a, [data-index="${focusIndex}"] button`,
    );
    row?.focus({ preventScroll: true });
    setFocusIndex(undefined);
  }, [focusIndex, start, end]);

  useEffect(() => {
    if (initialFocusKey === undefined) return;
    const index = items.findIndex((item) => getKey(item) === initialFocusKey);
    if (index < 0) return;
    const el = scroller.current;
    const height = el?.clientHeight || window.innerHeight || 800;
    scrollTo(scrollToReveal(index, rowHeight, el?.scrollTop ?? 0, height));
    setFocusIndex(index);
    // Mount only: later renders must not pull the focus back.
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    const li = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!li || items.length === 0) return;
    const current = Number(li.dataset.index);
    const page = Math.max(1, Math.floor(viewport / rowHeight) - 1);
    const next =
      e.key === 'ArrowDown'
        ? current + 1
        : e.key === 'ArrowUp'
          ? current - 1
          : e.key === 'PageDown'
            ? current + page
            : e.key === 'PageUp'
              ? current - page
              : e.key === 'Home'
                ? 0
                : e.key === 'End'
                  ? items.length - 1
                  : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const target = Math.max(0, Math.min(items.length - 1, next));
    scrollTo(scrollToReveal(target, rowHeight, scroller.current?.scrollTop ?? scrollTop, viewport));
    setFocusIndex(target);
  };

  return (
    <div
      className="vlist"
      ref={scroller}
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        setScrollTop(top);
        onScrollTopChange?.(top);
      }}
    >
      <ul
        aria-label={label}
        className="vlist-inner"
        style={{ height: items.length * rowHeight }}
        onKeyDown={onKeyDown}
      >
        {items.slice(start, end).map((item, i) => {
          const index = start + i;
          return (
            <li
              key={getKey(item)}
              data-index={index}
              aria-setsize={items.length}
              aria-posinset={index + 1}
              className="vlist-row"
              style={{ top: index * rowHeight, height: rowHeight }}
            >
              {renderRow(item, index)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
