/* hoga-event-log-entry.h — one line of the event log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HOGA_TYPE_EVENT_LOG_ENTRY (hoga_event_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (HogaEventLogEntry, hoga_event_log_entry, HOGA, EVENT_LOG_ENTRY, GObject)

/* Immutable. Properties (read-only, construct-only):
 *   "time" (GDateTime)         when it happened, in Asia/Seoul
 *   "level" (guint)            a GLogLevelFlags level
 *   "code" (string)            the stock code, "" when the line is about no symbol
 *   "message" (string) */

HogaEventLogEntry *hoga_event_log_entry_new          (GDateTime         *time,
                                                      GLogLevelFlags     level,
                                                      const char        *code,
                                                      const char        *message);
GDateTime         *hoga_event_log_entry_get_time      (HogaEventLogEntry *self);
/* "14:03:27", in Asia/Seoul. */
const char        *hoga_event_log_entry_get_time_text (HogaEventLogEntry *self);
GLogLevelFlags     hoga_event_log_entry_get_level     (HogaEventLogEntry *self);
const char        *hoga_event_log_entry_get_code      (HogaEventLogEntry *self);
const char        *hoga_event_log_entry_get_message   (HogaEventLogEntry *self);
/* 0 debug, 1 info and message, 2 warning, 3 critical and error. */
guint              hoga_event_log_entry_get_severity  (HogaEventLogEntry *self);
/* Whether @folded (g_utf8_casefold()ed, non-empty) is in the code or the message. */
gboolean           hoga_event_log_entry_matches       (HogaEventLogEntry *self,
                                                       const char        *folded);

/* The level's name ("Warning") and symbolic icon, for any GLogLevelFlags. */
const char        *hoga_event_log_level_to_string     (GLogLevelFlags     level);
const char        *hoga_event_log_level_icon_name     (GLogLevelFlags     level);

G_END_DECLS
