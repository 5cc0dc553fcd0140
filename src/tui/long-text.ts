/**
 * The whole text of lines longer than the part the view keeps for display (STORE_CHARS), so search and copy
 * see all of a line. Memory is bounded by characters: past LONG_TEXT_CHARS the oldest whole texts are let go
 * and those lines fall back to their kept part.
 */
export const LONG_TEXT_CHARS = 8 * 1024 * 1024;

/** A whole text the store may let go of: the one mutable part of a line, so every ring sharing it sees that. */
export class WholeText {
  constructor(private value: string | undefined) {}

  get text(): string | undefined {
    return this.value;
  }

  release(): void {
    this.value = undefined;
  }
}

/** Whole texts, oldest first, within a budget of characters. */
export class LongTexts {
  private readonly held: { readonly whole: WholeText; readonly chars: number }[] = [];
  private chars = 0;

  constructor(private readonly budget = LONG_TEXT_CHARS) {}

  keep(text: string): WholeText {
    const whole = new WholeText(text);
    this.held.push({ whole, chars: text.length });
    this.chars += text.length;
    while (this.chars > this.budget && this.held.length > 1) {
      const oldest = this.held.shift();
      if (!oldest) break;
      this.chars -= oldest.chars;
      oldest.whole.release();
    }
    return whole;
  }

  /** Characters held (for tests and the stated bound). */
  get size(): number {
    return this.chars;
  }
}
