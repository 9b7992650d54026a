/* hoga-holidays.h — KRX market holidays: which weekdays the market is closed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HOGA_HOLIDAYS_ERROR (hoga_holidays_error_quark ())

typedef enum {
  HOGA_HOLIDAYS_ERROR_PARSE,
} HogaHolidaysError;

#define HOGA_TYPE_HOLIDAYS (hoga_holidays_get_type ())

G_DECLARE_FINAL_TYPE (HogaHolidays, hoga_holidays, HOGA, HOLIDAYS, GObject)

GQuark         hoga_holidays_error_quark     (void);

HogaHolidays  *hoga_holidays_new_from_data   (const char    *data,
                                              gssize         length,
                                              const char    *source_name,
                                              GError       **error);
HogaHolidays  *hoga_holidays_get_default     (void);

gboolean       hoga_holidays_lookup          (HogaHolidays  *self,
                                              GDateTime     *when,
                                              const char   **name,
                                              gboolean      *unverified);
gboolean       hoga_holidays_is_trading_day  (HogaHolidays  *self,
                                              GDateTime     *when);
gboolean       hoga_holidays_covers          (HogaHolidays  *self,
                                              GDateTime     *when);
guint          hoga_holidays_get_n_holidays  (HogaHolidays  *self);

G_END_DECLS
