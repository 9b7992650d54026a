/* hoga-window.h — the trading window: state, switches, strategy, summary and the frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hoga-engine.h"

G_BEGIN_DECLS

#define HOGA_TYPE_WINDOW (hoga_window_get_type ())
G_DECLARE_FINAL_TYPE (HogaWindow, hoga_window, HOGA, WINDOW, AdwApplicationWindow)

HogaWindow *hoga_window_new (AdwApplication *application);

G_END_DECLS
