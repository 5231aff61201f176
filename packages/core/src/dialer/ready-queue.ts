/**
 * Ready agents of one campaign in the order they became ready: the head is the longest idle. An intrusive doubly
 * linked list, so joining, leaving and taking the head are O(1) with no allocation after sign-in.
 */
export class ReadyNode<T> {
  prev: ReadyNode<T> | null = null;
  next: ReadyNode<T> | null = null;
  linked = false;
  constructor(readonly item: T) {}
}

export class ReadyQueue<T> {
  private head: ReadyNode<T> | null = null;
  private tail: ReadyNode<T> | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Appends at the tail (most recently ready). No-op when already queued. */
  push(node: ReadyNode<T>): void {
    if (node.linked) return;
    node.linked = true;
    node.prev = this.tail;
    node.next = null;
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.count++;
  }

  remove(node: ReadyNode<T>): void {
    if (!node.linked) return;
    if (node.prev === null) this.head = node.next;
    else node.prev.next = node.next;
    if (node.next === null) this.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = null;
    node.next = null;
    node.linked = false;
    this.count--;
  }

  /** The longest-idle item, without removing it. */
  peek(): T | null {
    return this.head === null ? null : this.head.item;
  }
}
