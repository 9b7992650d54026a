/* hoga-event-log.h — the window's event log pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The log keeps this many lines; appending more drops the oldest. Enough for a trading
 * day's decisions at a glance; the journal's audit trail and the headless JSON log keep
 * the full record. */
#define HOGA_EVENT_LOG_MAX_ENTRIES 5000

#define HOGA_TYPE_EVENT_LOG (hoga_event_log_get_type ())
G_DECLARE_FINAL_TYPE (HogaEventLog, hoga_event_log, HOGA, EVENT_LOG, GtkWidget)

/* Oldest line at the top, newest at the bottom; the view follows new lines while it is
 * scrolled to the bottom. Lines can be filtered by level and by a text that the code or
 * the message contains.
 *
 * Actions: "log.clear" (empties the log), "log.copy" (the shown lines to the clipboard). */

GtkWidget *hoga_event_log_new     (void);
/* Cheap: lines are shown in batches, so a burst of appends costs one model update. */
void       hoga_event_log_append  (HogaEventLog   *self,
                                   GDateTime      *time,
                                   GLogLevelFlags  level,
                                   const char     *code,
                                   const char     *message);
void       hoga_event_log_clear   (HogaEventLog   *self);
/* The lines the filters show, one per line: time, level, code and message separated by
 * tabs (so they paste into a spreadsheet as columns). */
char      *hoga_event_log_to_text (HogaEventLog   *self);

G_END_DECLS
