/* phrases_de.c - what the coach says in German (eSpeak NG de). Informal
 * "du", as German fitness coaching speaks. {side} in a routine line says
 * "links" or "rechts", an adverb that fits without inflection ("Arm
 * links"); the fixed phrases with a side are whole sentences per side so
 * they can say "die linke Seite". */
#include "phrase/phrase.h"

const struct phrasebook phrasebook_de = {
	.language = "de",
	.name = "Deutsch",
	.text = {
		[PHRASE_PAUSED] = "Pause.",
		[PHRASE_RESUMING] = "Weiter geht's.",
		[PHRASE_NEXT] = "Ich springe weiter.",
		[PHRASE_SKIP_REST] = "Die Pause wird übersprungen.",
		[PHRASE_DONE] = "Fertig.",
		[PHRASE_MORE_REST] = "Fünfzehn Sekunden mehr Pause.",
		[PHRASE_FINISHING] = "Ich beende das Training.",
		[PHRASE_PEDAL_GONE] = "Pedal getrennt.",
		[PHRASE_PEDAL_BACK] = "Pedal verbunden.",

		[PHRASE_ROUTINE_NAME] = "{name}.",
		[PHRASE_NEED_ALL] = "Du brauchst: {name}.",
		[PHRASE_LIST_SEP] = ", ",
		[PHRASE_LIST_LAST_SEP] = " und ",
		[PHRASE_NEED_HEAD] = "Du brauchst:",
		[PHRASE_NEED_ITEM] = "{name},",
		[PHRASE_NEED_LAST] = "und {name}.",

		[PHRASE_WARM_UP] = "Aufwärmen.",
		[PHRASE_MAIN_SET] = "Jetzt der Hauptteil.",
		[PHRASE_COOL_DOWN] = "Abwärmen.",
		[PHRASE_EXERCISE] = "Übung {step} von {steps}: {name}.",
		[PHRASE_EACH_SIDE] = ", pro Seite",
		[PHRASE_OPEN_SETS] = "{sets} {sets|offener Satz|offene Sätze}{each}: so viele saubere Wiederholungen wie du "
				     "schaffst, dann drück auf weiter.",
		[PHRASE_REPS_SETS] = "{sets} {sets|Satz|Sätze} mit {reps} {reps|Wiederholung|Wiederholungen}{each}.",
		[PHRASE_HOLD_FOR] = "{seconds} {seconds|Sekunde|Sekunden} halten{each}.",
		[PHRASE_WORK_FOR] = "{seconds} {seconds|Sekunde|Sekunden} Arbeit{each}.",
		[PHRASE_ROUNDS] = "{sets} {sets|Runde|Runden} mit {seconds} {seconds|Sekunde|Sekunden}{each}.",

		[PHRASE_SET_LEFT_FIRST] = "Satz {set} von {sets}. Zuerst die linke Seite.",
		[PHRASE_SET_RIGHT_FIRST] = "Satz {set} von {sets}. Zuerst die rechte Seite.",
		[PHRASE_SET_OF] = "Satz {set} von {sets}.",
		[PHRASE_LEFT_FIRST] = "Zuerst die linke Seite.",
		[PHRASE_RIGHT_FIRST] = "Zuerst die rechte Seite.",
		[PHRASE_GET_READY] = "Mach dich bereit.",
		[PHRASE_SWITCH_LEFT] = "Wechsel auf die linke Seite.",
		[PHRASE_SWITCH_RIGHT] = "Wechsel auf die rechte Seite.",
		[PHRASE_REPEAT_SET_LEFT] = "Satz {set} noch einmal, linke Seite.",
		[PHRASE_REPEAT_SET_RIGHT] = "Satz {set} noch einmal, rechte Seite.",
		[PHRASE_REPEAT_SET] = "Satz {set} noch einmal.",
		[PHRASE_AGAIN_LEFT] = "Noch einmal, linke Seite.",
		[PHRASE_AGAIN_RIGHT] = "Noch einmal, rechte Seite.",
		[PHRASE_ONCE_MORE] = "Noch einmal.",
		[PHRASE_GO] = "Los.",
		[PHRASE_HOLD] = "Halten.",
		[PHRASE_RELEASE] = "Und lösen.",
		[PHRASE_STOP] = "Stopp.",
		[PHRASE_SECONDS_LEFT] = "Noch {seconds} {seconds|Sekunde|Sekunden}.",

		[PHRASE_REST] = "Pause, {seconds} {seconds|Sekunde|Sekunden}.",
		[PHRASE_TEN_SECONDS] = "Noch zehn Sekunden.",
		[PHRASE_NEXT_SET] = "Gleich: Satz {set} von {sets}.",
		[PHRASE_NEXT_UP] = "Als Nächstes: {name}.",
		[PHRASE_WELL_DONE] = "Das war das ganze Training. Gut gemacht, bis zum nächsten Mal.",

		[PHRASE_RESUME_OFFER] = "Letztes Mal hast du bei {name} aufgehört, Satz {set}. Tipp auf Start, "
					"um dort weiterzumachen, halte Start, um von vorn zu beginnen.",
		[PHRASE_RESUME_CHANGED] = "Letztes Mal hast du bei {name} aufgehört, Satz {set}, aber die Routine "
					  "wurde seitdem geändert, also beginnen wir von vorn.",
		[PHRASE_WEEK_1] = "Das ist dein erstes Training in dieser Woche.",
		[PHRASE_WEEK_2] = "Das ist dein zweites Training in dieser Woche.",
		[PHRASE_WEEK_3] = "Das ist dein drittes Training in dieser Woche.",
		[PHRASE_WEEK_4] = "Das ist dein viertes Training in dieser Woche.",
		[PHRASE_WEEK_5] = "Das ist dein fünftes Training in dieser Woche.",
		[PHRASE_WEEK_6] = "Das ist dein sechstes Training in dieser Woche.",
		[PHRASE_WEEK_7] = "Das ist dein siebtes Training in dieser Woche.",
		[PHRASE_WEEK_8] = "Das ist dein achtes Training in dieser Woche.",
		[PHRASE_WEEK_9] = "Das ist dein neuntes Training in dieser Woche.",
		[PHRASE_WEEK_10] = "Das ist dein zehntes Training in dieser Woche.",
		[PHRASE_WEEK_N] = "Das ist Training Nummer {number} in dieser Woche.",

		[PHRASE_LOBBY_READY] = "{name}. Drück auf Start, wenn du bereit bist.",
		[PHRASE_LOBBY_CHOICE] = "Routine {number} von {total}: {name}. Drück auf Start zum Beginnen.",
		[PHRASE_FROM_FILE] = "aus der Datei {name}",
		[PHRASE_NO_ROUTINE] = "Keine Routinedatei ist brauchbar. Ich nehme die eingebaute Routine.",
		[PHRASE_CANNOT_PLAY] = "Diese Routine lässt sich nicht abspielen. Ich nehme die eingebaute Routine.",
		[PHRASE_SKIP_ROUTINE_AT] = "Die Routinedatei {name} hat einen Fehler in Zeile {number}. Ich überspringe sie.",
		[PHRASE_SKIP_ROUTINE] = "Die Routinedatei {name} hat einen Fehler. Ich überspringe sie.",
		[PHRASE_SKIP_ROUTINE_UNREADABLE] = "Die Routinedatei {name} lässt sich nicht lesen. Ich überspringe sie.",
		[PHRASE_SKIP_CONFIG_AT] = "Die Konfigurationsdatei {name} hat einen Fehler in Zeile {number}. "
					  "Ich überspringe sie.",
		[PHRASE_SKIP_CONFIG] = "Die Konfigurationsdatei {name} hat einen Fehler. Ich überspringe sie.",
		[PHRASE_SKIP_CONFIG_UNREADABLE] = "Die Konfigurationsdatei {name} lässt sich nicht lesen. "
						  "Ich überspringe sie.",
		[PHRASE_BAD_SETTING_AT] = "Die Einstellung {name} in Zeile {number} von config.yaml verstehe ich nicht; "
					  "ich nehme den Standardwert.",
		[PHRASE_MORE_BAD] = "{number} {number|weitere Routinedatei hat|weitere Routinedateien haben} Fehler.",
		[PHRASE_PROBLEMS_ON_CARD] = "Einzelheiten stehen in problems.txt auf der Karte.",
		[PHRASE_INPUT_START_BUTTON] = "Der Startknopf",
		[PHRASE_INPUT_NEXT_BUTTON] = "Der Weiter-Knopf",
		[PHRASE_INPUT_REPEAT_BUTTON] = "Der Wiederholen-Knopf",
		[PHRASE_INPUT_PEDAL] = "Das Pedal",
		[PHRASE_WITH_START_BUTTON] = "dem Startknopf",
		[PHRASE_WITH_NEXT_BUTTON] = "dem Weiter-Knopf",
		[PHRASE_WITH_REPEAT_BUTTON] = "dem Wiederholen-Knopf",
		[PHRASE_WITH_PEDAL] = "dem Pedal",
		[PHRASE_WITH_KEYBOARD] = "der Tastatur",
		[PHRASE_TROUBLE_NO_SUCH_PIN] = "{input} funktioniert nicht: Pin {name} gibt es nicht.",
		[PHRASE_TROUBLE_PIN_REFUSED] = "{input} funktioniert nicht: Pin {name} lässt sich nicht benutzen; "
					       "das Protokoll sagt, warum.",
		[PHRASE_TROUBLE_NOT_INPUT_DEVICE] = "{input} funktioniert nicht: {name} ist kein Eingabegerät.",
		[PHRASE_TROUBLE_NOT_PLUGGED_IN] = "{input} ist nicht eingesteckt.",
		[PHRASE_TROUBLE_UNKNOWN_KEY] = "{input} funktioniert nicht: Eine Taste {name} gibt es nicht.",
		[PHRASE_TROUBLE_DEVICE_REFUSED] = "{input} funktioniert nicht; das Protokoll sagt, warum.",
		[PHRASE_CHECK_CONFIG_ON_CARD] = "Prüf {name} auf der Karte.",
		[PHRASE_CHECK_CONFIG] = "Prüf die Konfigurationsdatei {name}.",
		[PHRASE_START_WITH] = "Du kannst mit {name} starten.",
		[PHRASE_NOTHING_STARTS] = "Sonst kann nichts ein Training starten.",
		[PHRASE_HISTORY_OFF] = "Ich kann deinen Trainingsverlauf nicht speichern; das Protokoll sagt, warum.",
		[PHRASE_HISTORY_MOVED] = "Dein Trainingsverlauf war beschädigt. Ich habe ihn beiseitegelegt und "
					 "einen neuen begonnen.",
		[PHRASE_HISTORY_UNSAVED] = "Ich konnte deinen Trainingsverlauf nicht sichern; das Protokoll sagt, warum.",

		[PHRASE_SIDE_LEFT] = "links",
		[PHRASE_SIDE_RIGHT] = "rechts",
	},
};
