"use client";
// The chat fills the window below the site header, so the order bar (top)
// and the composer (bottom) stay in view and only the messages scroll; the
// messages stick to the newest one: on opening, on each new message, and
// while a delivered image loads (its height arrives late), unless the reader
// scrolled up to read older messages.
import { useEffect, useLayoutEffect, useRef, useState } from "react";

/** Below this the chat would be too cramped to use; the page scrolls instead. */
const MIN_CHAT_HEIGHT_PX = 420;
/** Within this of the bottom counts as "reading the newest". */
const STICK_SLACK_PX = 24;

export function useFillViewport<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [heightPx, setHeightPx] = useState<number | null>(null);
  useLayoutEffect(() => {
    const measure = () => {
      const el = ref.current;
      if (!el) return;
      const top = el.getBoundingClientRect().top + window.scrollY;
      setHeightPx(Math.max(MIN_CHAT_HEIGHT_PX, window.innerHeight - top));
    };
    measure();
    window.addEventListener("resize", measure);
    return () => window.removeEventListener("resize", measure);
  }, []);
  return [ref, heightPx] as const;
}

export function useStickToBottom(messageCount: number) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLOListElement>(null);
  const stuck = useRef(true);
  const lastTop = useRef(0);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || messageCount === 0) return;
    el.scrollTop = el.scrollHeight;
    lastTop.current = el.scrollTop;
    stuck.current = true;
  }, [messageCount]);
  useEffect(() => {
    const el = scrollRef.current;
    const content = contentRef.current;
    if (!el || !content) return;
    // Only the reader moving UP lets go of the newest message. A scroll event is read after the layout it
    // belongs to may have changed again: a message or card that grew since the scroll to the bottom makes
    // the distance large without the reader doing anything, and judging by distance alone let go right
    // before the resize below would have kept the newest in view (it then stayed hidden under the fold).
    const onScroll = () => {
      const fromBottomPx = el.scrollHeight - el.scrollTop - el.clientHeight;
      if (fromBottomPx <= STICK_SLACK_PX) stuck.current = true;
      else if (el.scrollTop < lastTop.current) stuck.current = false;
      lastTop.current = el.scrollTop;
    };
    const observer = new ResizeObserver(() => {
      if (!stuck.current) return;
      el.scrollTop = el.scrollHeight;
      lastTop.current = el.scrollTop;
    });
    el.addEventListener("scroll", onScroll, { passive: true });
    observer.observe(content);
    observer.observe(el);
    return () => {
      el.removeEventListener("scroll", onScroll);
      observer.disconnect();
    };
  }, []);
  return { scrollRef, contentRef };
}

/**
 * A freshly opened chat starts keyboard navigation at the top of the document, so the first Tab
 * reaches the skip link, then the order's buttons, before the message box. (Arriving from "Chat with …"
 * leaves the browser's starting point where that button was.) A throwaway focus target at the start of
 * the body moves the starting point there without leaving anything focused.
 */
export function useFocusStartsAtTop() {
  useEffect(() => {
    if (document.activeElement && document.activeElement !== document.body) return;
    const marker = document.createElement("span");
    marker.tabIndex = -1;
    document.body.prepend(marker);
    marker.focus({ preventScroll: true });
    marker.remove();
  }, []);
}
