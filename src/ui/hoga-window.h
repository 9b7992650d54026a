/* hoga-window.h — the trading window: state, switches, strategy, summary and the frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hoga-engine.h"
#include "hoga-settings.h"

G_BEGIN_DECLS

#define HOGA_TYPE_WINDOW (hoga_window_get_type ())
G_DECLARE_FINAL_TYPE (HogaWindow, hoga_window, HOGA, WINDOW, AdwApplicationWindow)

/* Properties:
 *   "engine"    (HogaEngine, read-only) the engine shown, NULL while none runs
 *   "auto-buy", "auto-sell" (gboolean) the engine's switches, FALSE without an engine
 * Actions: trade.auto-buy, trade.auto-sell, trade.kill-switch (i), trade.reset-kill-switch,
 *   trade.sell-now (s), trade.stop-tracking (s), trade.adopt (s), order.cancel (x),
 *   win.new-order, win.export (s: account, tracking or orders) */

/* @settings: the application's root GSettings (io.github.hoga.Hoga) */
HogaWindow *hoga_window_new            (AdwApplication *application,
                                        GSettings      *settings);

void        hoga_window_set_profile    (HogaWindow     *self,
                                        HogaProfile     profile);
/* Shows what is starting, with a spinner, until set_engine() or show_failed(). */
void        hoga_window_show_starting  (HogaWindow     *self,
                                        const char     *message);
/* The engine is not running: why, and the ways forward (Preferences, Try Again). */
void        hoga_window_show_failed    (HogaWindow     *self,
                                        const char     *message);
/* Binds the frames, bars and switches to @engine; %NULL unbinds them. */
void        hoga_window_set_engine     (HogaWindow     *self,
                                        HogaEngine     *engine);
HogaEngine *hoga_window_get_engine     (HogaWindow     *self);

void        hoga_window_add_log        (HogaWindow     *self,
                                        GDateTime      *time,
                                        GLogLevelFlags  level,
                                        const char     *code,
                                        const char     *message);
/* A toast for something the user must know now. */
void        hoga_window_show_problem   (HogaWindow     *self,
                                        const char     *message);
/* A toast offering app.restart-engine. */
void        hoga_window_offer_restart  (HogaWindow     *self,
                                        const char     *message);
/* Writes the size and pane positions to window-state (the columns are bound live). */
void        hoga_window_save_state     (HogaWindow     *self);

G_END_DECLS
