/* hoga-quote-book.h — every live quote, as a list model, with each symbol's recent ticks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hoga-broker.h"
#include "hoga-quote.h"

G_BEGIN_DECLS

/* One tick as the tracking view and the staleness rule need it. */
typedef struct {
  gint64  price;
  gint64  volume;        /* this trade, signed: + buy-initiated, - sell-initiated */
  gint64  received_us;   /* monotonic, when the frame arrived */
  guint32 hhmmss;        /* the exchange's time of the trade */
} HogaQuoteSample;

#define HOGA_TYPE_QUOTE_BOOK (hoga_quote_book_get_type ())
G_DECLARE_FINAL_TYPE (HogaQuoteBook, hoga_quote_book, HOGA, QUOTE_BOOK, GObject)

/* A GListModel of HogaQuote in the order symbols were added.
 *
 * Properties
 *   "history-size" (uint, construct-only)  ticks kept per symbol; 128 */

HogaQuoteBook *hoga_quote_book_new              (guint                history_size);
guint          hoga_quote_book_get_history_size (HogaQuoteBook       *self);

HogaQuote     *hoga_quote_book_add              (HogaQuoteBook       *self,
                                                 const char          *code,
                                                 const char          *name);
gboolean       hoga_quote_book_remove           (HogaQuoteBook       *self,
                                                 const char          *code);
HogaQuote     *hoga_quote_book_lookup           (HogaQuoteBook       *self,
                                                 const char          *code);

HogaQuote     *hoga_quote_book_apply_tick       (HogaQuoteBook       *self,
                                                 const HogaTick      *tick);
guint          hoga_quote_book_get_history      (HogaQuoteBook       *self,
                                                 const char          *code,
                                                 HogaQuoteSample     *samples,
                                                 guint                n_samples);
gint64         hoga_quote_book_get_age_us       (HogaQuoteBook       *self,
                                                 const char          *code,
                                                 gint64               now_us);

G_END_DECLS
