import type { KeyboardEvent } from 'react';

/**
 * A value typed the way the hint teaches (20300101, a lower-case serial) is tidied when the teller is done
 * with it: on leaving the field, and on Enter, which moves the form on without leaving the field first.
 * Both must tidy alike, or Enter refuses what Tab accepts.
 */
export function typedValueTidying(field: { value: unknown; onChange: (value: string) => void }, normalize: ((value: string) => string) | undefined) {
  const tidy = () => {
    if (!normalize || typeof field.value !== 'string') return;
    const normalized = normalize(field.value);
    if (normalized !== field.value) field.onChange(normalized);
  };
  return {
    tidy,
    // Runs before the form's own Enter handler (the event bubbles from the field to the form).
    onKeyDown: (event: KeyboardEvent<HTMLElement>) => {
      if (event.key === 'Enter' && !event.nativeEvent.isComposing) tidy();
    },
  };
}
