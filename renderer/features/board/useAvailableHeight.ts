import { useEffect, useState, type RefObject } from 'react';

/**
 * The height left for an element down to the bottom of the window, kept current on resize and zoom.
 * A virtual table needs its body height in pixels.
 */
export function useAvailableHeight(ref: RefObject<HTMLElement | null>, reserve: number, minimum = 240): number {
  const [height, setHeight] = useState(minimum);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => {
      const top = element.getBoundingClientRect().top;
      setHeight(Math.max(minimum, Math.floor(window.innerHeight - top - reserve)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    window.addEventListener('resize', measure);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', measure);
    };
  }, [ref, reserve, minimum]);
  return height;
}
