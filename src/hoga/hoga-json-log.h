/* hoga-json-log.h — structured GLib logging as one JSON object per line on stdout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Structured-log fields that become the "code" member (what the engine's ::log gives:
 * the symbol a line is about) and the "event" member (a stable name for the headless
 * program's own milestones, e.g. "engine-started", for scripts to wait on). */
#define HOGA_JSON_LOG_FIELD_CODE  "HOGA_CODE"
#define HOGA_JSON_LOG_FIELD_EVENT "HOGA_EVENT"

void   hoga_json_log_install        (void);
/* Logs @message with an optional @event and @code; an error level is logged as
 * critical, because GLib aborts on G_LOG_LEVEL_ERROR and no log line is a reason to. */
void   hoga_json_log_message        (const char      *domain,
                                     GLogLevelFlags   log_level,
                                     const char      *event,
                                     const char      *code,
                                     const char      *message);

G_END_DECLS
