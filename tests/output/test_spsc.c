/* test_spsc - unit tests of util/spsc.h, and a two-thread stress test:
 * a bounded count of sequence numbers must arrive in order, none lost or
 * repeated, through a small ring that is full and empty many times. */
#include "util/spsc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../lib/harness.h"

struct event {
	uint64_t seq;
	uint32_t check; /* derived from seq: a torn copy shows up */
};

static void test_basic(void)
{
	struct spsc ring;
	struct event slots[4], e;

	REQUIRE(spsc_init(&ring, slots, sizeof(struct event), 3) == -EINVAL);
	REQUIRE(spsc_init(&ring, slots, 0, 4) == -EINVAL);
	REQUIRE(spsc_init(&ring, slots, sizeof(struct event), 4) == 0);
	REQUIRE(spsc_capacity(&ring) == 4);
	REQUIRE(!spsc_pop(&ring, &e));
	for (uint64_t i = 0; i < 4; i++) {
		e = (struct event){ i, (uint32_t)(i * 2654435761u) };
		REQUIRE(spsc_push(&ring, &e));
	}
	e.seq = 99;
	REQUIRE(!spsc_push(&ring, &e)); /* full: all 4 slots usable */
	REQUIRE(spsc_count(&ring) == 4);
	for (uint64_t i = 0; i < 4; i++) {
		REQUIRE(spsc_pop(&ring, &e));
		REQUIRE(e.seq == i);
	}
	REQUIRE(!spsc_pop(&ring, &e));
	/* wrap-around many times */
	for (uint64_t i = 0; i < 1000; i++) {
		e.seq = i;
		REQUIRE(spsc_push(&ring, &e));
		REQUIRE(spsc_pop(&ring, &e) && e.seq == i);
	}
	REQUIRE(spsc_count(&ring) == 0);
}

#define STRESS_COUNT 2000000

static struct spsc stress_ring;
static struct event stress_slots[8];

static void *producer(void *arg)
{
	uint64_t full = 0;

	(void)arg;
	for (uint64_t i = 0; i < STRESS_COUNT;) {
		struct event e = { i, (uint32_t)(i * 2654435761u) };

		if (spsc_push(&stress_ring, &e))
			i++;
		else
			full++;
	}
	return (void *)(uintptr_t)full;
}

static void test_stress(void)
{
	pthread_t t;
	void *full;
	uint64_t expect = 0, empty = 0;

	REQUIRE(spsc_init(&stress_ring, stress_slots, sizeof(struct event), 8) == 0);
	REQUIRE(pthread_create(&t, NULL, producer, NULL) == 0);
	while (expect < STRESS_COUNT) {
		struct event e;

		if (!spsc_pop(&stress_ring, &e)) {
			empty++;
			continue;
		}
		REQUIRE(e.seq == expect);
		REQUIRE(e.check == (uint32_t)(e.seq * 2654435761u));
		expect++;
	}
	pthread_join(t, &full);
	REQUIRE(spsc_count(&stress_ring) == 0);
	printf("stress: %d events in order; ring found full %llu times, empty %llu times\n",
	       STRESS_COUNT, (unsigned long long)(uintptr_t)full, (unsigned long long)empty);
}

int main(void)
{
	RUN_CASE(test_basic, ());
	RUN_CASE(test_stress, ());
	printf("spsc: ok\n");
	return 0;
}
