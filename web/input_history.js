// The input line's history, as in a shell: Up recalls earlier lines, Down comes back, and
// the line being typed is kept while you look.

export class InputHistory {
  constructor(limit = 500) {
    this.limit = limit;
    this.entries = [];
    this.position = 0;
    this.draft = '';
  }

  remember(line) {
    if (line !== '' && this.entries[this.entries.length - 1] !== line) {
      this.entries.push(line);
      if (this.entries.length > this.limit) this.entries.shift();
    }
    this.position = this.entries.length;
    this.draft = '';
  }

  // The line to show after Up, given what the input holds now; null at the oldest.
  previous(current) {
    if (this.position === 0) return null;
    if (this.position === this.entries.length) this.draft = current;
    this.position -= 1;
    return this.entries[this.position];
  }

  // The line to show after Down; null when already at the line being typed.
  next() {
    if (this.position >= this.entries.length) return null;
    this.position += 1;
    return this.position === this.entries.length ? this.draft : this.entries[this.position];
  }
}
