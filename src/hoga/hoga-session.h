/* hoga-session.h — one profile's running engine: its exchange, broker, journal and engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hoga-engine.h"
#include "hoga-settings.h"

G_BEGIN_DECLS

#define HOGA_TYPE_SESSION (hoga_session_get_type ())
G_DECLARE_FINAL_TYPE (HogaSession, hoga_session, HOGA, SESSION, GObject)

/* The composition both programs share (DESIGN.md §2): the headless engine and the desktop
 * window each run one session and differ only in how they show it.
 *
 * Properties:
 *   "engine" (HogaEngine, read-only) once the start has created it; NULL before
 * Signals:
 *   ::milestone (guint GLogLevelFlags, const char *event, const char *message)
 *       the session's own steps, named by @event: exchange-ready, connecting, real-money
 *   ::engine-log (guint GLogLevelFlags, const char *code or NULL, const char *message)
 *       the engine's ::log, forwarded
 *   ::problem (GError *) the engine's ::problem, forwarded
 *   ::exchange-exited (const char *reason) the simulated exchange ended on its own */

/* Copies @settings. */
HogaSession *hoga_session_new               (const HogaSettings  *settings);

/* What can be checked before anything runs or connects, in this order: the real-money
 * confirmation, the credentials (not for the simulated profile), the simulated exchange's
 * program, the journal. Synchronous. */
gboolean     hoga_session_prepare           (HogaSession         *self,
                                             gboolean             real_money_confirmed,
                                             GError             **error);

/* Spawns the simulated exchange when the profile is simulated, creates the broker and
 * the engine, and starts it. Automatic buying stays off: the caller decides. */
void         hoga_session_start_async       (HogaSession         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     hoga_session_start_finish      (HogaSession         *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Stops the engine (also after a failed or cancelled start), which flushes and closes the
 * journal, then ends the simulated exchange. */
void         hoga_session_stop_async        (HogaSession         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     hoga_session_stop_finish       (HogaSession         *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* Ends the simulated exchange at once, without waiting: for an exit that cannot wait. */
void         hoga_session_terminate_exchange (HogaSession        *self);

const HogaSettings *hoga_session_get_settings     (HogaSession   *self);
/* The profile's nick: simulated, mock, real or custom. */
const char         *hoga_session_get_profile      (HogaSession   *self);
const char         *hoga_session_get_journal_path (HogaSession   *self);
HogaEngine         *hoga_session_get_engine       (HogaSession   *self);

G_END_DECLS
