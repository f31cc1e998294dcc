/* spsc.h - lock-free single-producer/single-consumer ring of fixed-size
 * elements. Carries control events into the audio callback and transcript
 * events out of it: push and pop never block, lock or allocate, so either
 * side may be the real-time thread.
 *
 * Exactly one thread pushes and exactly one thread pops; anything else
 * (two producers, popping from the producer) needs outside locking.
 * Storage is the caller's: capacity elements of elem_size bytes, capacity a
 * power of two. A ring of capacity N holds up to N elements: head and tail
 * are free-running counters, so no slot is kept empty to tell full from
 * empty. */
#ifndef REPCUE_UTIL_SPSC_H
#define REPCUE_UTIL_SPSC_H

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct spsc {
	/* Written by the producer only; read with acquire by the consumer. */
	atomic_size_t head;
	/* Padding rather than _Alignas keeps head and tail on different cache
	 * lines without demanding 64-byte alignment from a malloc'd owner. */
	char pad_head[64 - sizeof(atomic_size_t)];
	/* Written by the consumer only; read with acquire by the producer. */
	atomic_size_t tail;
	char pad_tail[64 - sizeof(atomic_size_t)];
	unsigned char *slots;              /* borrowed: capacity * elem_size bytes */
	size_t elem_size;
	size_t mask;                       /* capacity - 1 */
};

/* Point ring at storage (borrowed; must outlive the ring). Returns 0, or
 * -EINVAL if capacity is not a power of two >= 1 or elem_size is 0. Not
 * thread-safe: call before either side starts. */
static inline int spsc_init(struct spsc *ring, void *storage, size_t elem_size, size_t capacity)
{
	if (!ring || !storage || elem_size == 0 || capacity == 0 || (capacity & (capacity - 1)) != 0)
		return -EINVAL;
	atomic_init(&ring->head, 0);
	atomic_init(&ring->tail, 0);
	ring->slots = storage;
	ring->elem_size = elem_size;
	ring->mask = capacity - 1;
	return 0;
}

static inline size_t spsc_capacity(const struct spsc *ring)
{
	return ring->mask + 1;
}

/* Producer: copy elem_size bytes from elem into the ring. Returns true, or
 * false if the ring is full (the element is not stored; the producer decides
 * whether to drop or count it). */
static inline bool spsc_push(struct spsc *ring, const void *elem)
{
	size_t head = atomic_load_explicit(&ring->head, memory_order_relaxed);
	/* acquire: the consumer's copy out of the slot we are about to reuse
	 * must be complete before we overwrite it. */
	size_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);

	if (head - tail > ring->mask)
		return false;
	memcpy(ring->slots + (head & ring->mask) * ring->elem_size, elem, ring->elem_size);
	/* release: publishes the slot contents together with the new head. */
	atomic_store_explicit(&ring->head, head + 1, memory_order_release);
	return true;
}

/* Consumer: copy the oldest element into elem and remove it. Returns true,
 * or false if the ring is empty (elem untouched). */
static inline bool spsc_pop(struct spsc *ring, void *elem)
{
	size_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed);
	/* acquire: pairs with the producer's release so the slot is complete. */
	size_t head = atomic_load_explicit(&ring->head, memory_order_acquire);

	if (head == tail)
		return false;
	memcpy(elem, ring->slots + (tail & ring->mask) * ring->elem_size, ring->elem_size);
	/* release: the slot may be reused only after our copy is done. */
	atomic_store_explicit(&ring->tail, tail + 1, memory_order_release);
	return true;
}

/* Elements waiting. Exact from the consumer's side; from the producer's
 * side, a bound that may be stale high. */
static inline size_t spsc_count(struct spsc *ring)
{
	size_t tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
	size_t head = atomic_load_explicit(&ring->head, memory_order_acquire);

	return head - tail;
}

#endif
