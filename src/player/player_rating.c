/* player_rating.c - "how did that feel?" after a session (issue 19 item 7),
 * the player's hookup to the pure question of core/rating.h: the question is
 * the line of a lobby opened for it; while it is open every press answers
 * it (none reaches the session, so a tap cannot start the next one); the
 * answer goes into the history (which rewrites the CSV) and is said back
 * as the notice of the next lobby ("Recorded: easy. Tiny. Press start
 * when you are ready."). Silence skips it: nothing recorded, nothing said.
 *
 * The loop's whole hook is three calls in player.c: player_rating_wanted/
 * player_rating_ask where a session ends, player_rating_take where actions
 * are handed out, player_rating_over once a round. */
#include <stdio.h>
#include <time.h>

#include "player/player_internal.h"
#include "core/rating.h"
#include "util/clock.h"

bool player_rating_wanted(const struct player *p)
{
	/* hands-free play (the lobby), a history to record into, a session
	 * that reached its end; never after --press (a script with nobody to
	 * answer) */
	return p->lobby && p->history && p->set.lo.n_presses == 0 && p->st.end_at >= 0;
}

int player_rating_ask(struct player *p)
{
	int r = player_reopen_lobby(p, p->routine, (struct lobby_say){ .id = PHRASE_RATING_ASK });

	/* the silence is counted once the question can be heard */
	if (r == 0) {
		rating_ask(&p->rating, clock_now_ms(), 0);
		fprintf(p->log, "repcue: asking how the session felt (tap: easy, two taps: hard, hold: it hurt)\n");
	}
	return r;
}

bool player_rating_take(struct player *p, const struct input_action *a)
{
	/* until the loop has taken the answer, even a press after the
	 * timeout belongs to the question: ignored, it must not start a
	 * session from the question's lobby */
	if (p->rating.state == RATING_IDLE || a->status != INPUT_STATUS_NONE || a->control == CONTROL_QUIT)
		return false;
	/* a key (no gesture) is a tap; two quickly are a double tap */
	enum rating_press press = !a->from_gesture ? RATING_PRESS_TAP :
				  a->gesture == GESTURE_HOLD ? RATING_PRESS_HOLD :
				  a->gesture == GESTURE_DOUBLE_TAP ? RATING_PRESS_DOUBLE : RATING_PRESS_TAP;
	rating_press(&p->rating, press, clock_now_ms());
	return true;
}

bool player_rating_over(struct player *p)
{
	enum rating r;

	rating_tick(&p->rating, clock_now_ms());
	if (!rating_take(&p->rating, &r))
		return false;
	if (r == RATING_NONE) {
		fprintf(p->log, "repcue: no answer to how the session felt; nothing recorded\n");
		return true;
	}
	struct history_event ev = { .kind = HISTORY_SESSION_RATING, .wall_s = time(NULL), .step = -1, .arg = r };
	if (history_push(p->history, &ev) < 0) {
		fprintf(p->log, "repcue: the session felt %s, but the history could not take it\n", rating_name(r));
		return true;
	}
	fprintf(p->log, "repcue: the session felt %s: recorded\n", rating_name(r));
	p->notice = rating_phrase(r);
	return true;
}
