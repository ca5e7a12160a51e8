/** Subscribers to the service's events: each is called in turn, and one that throws harms no other. */
export class Listeners<E> {
  private readonly set = new Set<(e: E) => void>();

  add(listener: (e: E) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(event: E): void {
    for (const l of this.set) {
      try {
        l(event);
      } catch {
        // A faulty subscriber must not break the service or the other subscribers.
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
