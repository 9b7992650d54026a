/* hoga-order-dialog-private.h — what the UI tests reach inside HogaOrderDialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-order-dialog.h"

G_BEGIN_DECLS

GtkEditable     *hoga_order_dialog_get_code_editable (HogaOrderDialog *self);
GtkToggleButton *hoga_order_dialog_get_sell_toggle   (HogaOrderDialog *self);
GtkSpinButton   *hoga_order_dialog_get_qty_spin      (HogaOrderDialog *self);
AdwComboRow     *hoga_order_dialog_get_type_row      (HogaOrderDialog *self);
GtkSpinButton   *hoga_order_dialog_get_price_spin    (HogaOrderDialog *self);
/* What the form says is wrong ("" when nothing), and the name row's text. */
const char      *hoga_order_dialog_get_message       (HogaOrderDialog *self);
const char      *hoga_order_dialog_get_name_text     (HogaOrderDialog *self);
const char      *hoga_order_dialog_get_limits_text   (HogaOrderDialog *self);
gboolean         hoga_order_dialog_get_can_send      (HogaOrderDialog *self);
gboolean         hoga_order_dialog_get_sending       (HogaOrderDialog *self);

G_END_DECLS
