/* hoga-order-dialog.h — the manual order dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hoga-engine.h"

G_BEGIN_DECLS

#define HOGA_TYPE_ORDER_DIALOG (hoga_order_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HogaOrderDialog, hoga_order_dialog, HOGA, ORDER_DIALOG, AdwWindow)

/* A modal window that builds one order and sends it through
 * hoga_engine_place_order_async(): stock code (with its name from the engine), side,
 * quantity, market or limit, and a limit price whose +/− buttons step along the KRX tick
 * grid. What is wrong is said under the form and Send stays disabled until it is right; a
 * price the user typed is never changed behind their back (an off-grid one is flagged
 * with the grid prices around it). Send (or Enter) sends; Cancel (or Escape) closes. The
 * window closes once the engine has the order; when the engine refuses it, its reason is
 * shown and the form is kept.
 *
 * Properties: "engine" (HogaEngine, construct-only)
 * Signals: ::placed (HogaOrder *order) the engine took the order (the window then closes)
 *
 * Actions: "order.send" */

HogaOrderDialog *hoga_order_dialog_new (GtkWindow  *parent,
                                        HogaEngine *engine,
                                        const char *code,
                                        HogaSide    side);

G_END_DECLS
