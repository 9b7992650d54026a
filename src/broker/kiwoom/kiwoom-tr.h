/* kiwoom-tr.h — request bodies and reply decoders of the Kiwoom TRs Hoga uses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions between json-glib objects and the port's structs. Every value on the
 * wire is a string; prices carry a direction sign, account TRs are zero-padded and codes
 * may carry an "A" prefix (kiwoom-protocol.md §7). A missing or mistyped field is a
 * HOGA_BROKER_ERROR_PROTOCOL error naming the TR and the field; extra fields are ignored.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "hoga-broker.h"

G_BEGIN_DECLS

#define KIWOOM_PATH_STKINFO "/api/dostk/stkinfo"
#define KIWOOM_PATH_ORDER   "/api/dostk/ordr"
#define KIWOOM_PATH_ACCOUNT "/api/dostk/acnt"

const char     *kiwoom_tr_venue_code       (HogaVenue                venue);

/* kt10000 (buy) / kt10001 (sell): @api_id receives the TR code for the side. */
JsonObject     *kiwoom_tr_order_body       (const HogaOrderRequest  *request,
                                            const char             **api_id);
/* kt10002 */
JsonObject     *kiwoom_tr_modify_body      (const char              *orig_ord_no,
                                            const char              *code,
                                            gint64                   qty,
                                            gint64                   price,
                                            HogaVenue                venue);
/* kt10003; @qty 0 cancels the whole remainder. */
JsonObject     *kiwoom_tr_cancel_body      (const char              *orig_ord_no,
                                            const char              *code,
                                            gint64                   qty,
                                            HogaVenue                venue);

gboolean        kiwoom_tr_parse_receipt    (JsonObject              *reply,
                                            HogaOrderReceipt        *receipt,
                                            GError                 **error);
gboolean        kiwoom_tr_parse_stock_info (JsonObject              *reply,
                                            HogaStockInfo           *info,
                                            GError                 **error);
/* kt00018 with its list under "acnt_evlt_remn_indv_tot". */
HogaBalance    *kiwoom_tr_parse_balance    (JsonObject              *reply,
                                            GError                 **error);
/* kt00001 */
gboolean        kiwoom_tr_parse_deposit    (JsonObject              *reply,
                                            HogaDeposit             *deposit,
                                            GError                 **error);
/* ka10075 ("oso", @filled FALSE) or ka10076 ("cntr", @filled TRUE): HogaOrderSnapshot. */
GPtrArray      *kiwoom_tr_parse_orders     (JsonObject              *reply,
                                            gboolean                 filled,
                                            GError                 **error);

G_END_DECLS
