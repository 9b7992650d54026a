/* hoga-holidays.c — KRX market holidays: which weekdays the market is closed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is data/krx-holidays.txt, compiled into hoga-core as a resource so that the
 * desktop app, the headless engine, the Flatpak and the tests all read the same file with
 * no install path to find. Holidays move with the lunar calendar and with government
 * decisions, so they are data, never code; the parser is strict (ascending weekdays, a
 * name on every line) because a wrong date here means trading on a closed day or not at
 * all on an open one.
 */
#define G_LOG_DOMAIN "hoga-holidays"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "hoga-core-resources.h"
#include "hoga-holidays.h"
#include "hoga-krx.h"

#define DEFAULT_RESOURCE "/io/github/hoga/Hoga/core/krx-holidays.txt"
#define UNVERIFIED_MARK  "unverified"

typedef struct {
  char     *name;
  gboolean  unverified;
} Holiday;

struct _HogaHolidays {
  GObject     parent_instance;

  GHashTable *days;        /* Julian day number → Holiday */
  guint       first_year;  /* 0 when the list is empty */
  guint       last_year;
};

G_DEFINE_FINAL_TYPE (HogaHolidays, hoga_holidays, G_TYPE_OBJECT)

G_DEFINE_QUARK (hoga-holidays-error-quark, hoga_holidays_error)

static void
holiday_free (gpointer data)
{
  Holiday *holiday = data;

  g_free (holiday->name);
  g_free (holiday);
}

/* Exactly YYYY-MM-DD, a real calendar date. */
static gboolean
parse_date (const char *text,
            GDate      *date)
{
  static const char pattern[] = "dddd-dd-dd";
  guint year;
  guint month;
  guint day;

  for (guint i = 0; i < sizeof pattern - 1; i++)
    {
      if (pattern[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != pattern[i])
        return FALSE;
    }

  year = (guint) g_ascii_strtoull (text, NULL, 10);
  month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  day = (guint) g_ascii_strtoull (text + 8, NULL, 10);
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static gboolean
parse_line (HogaHolidays  *self,
            const char    *source_name,
            guint          line_no,
            const char    *line,
            guint32       *previous_julian,
            guint         *previous_line,
            GError       **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *date_text = NULL;
  Holiday *holiday;
  const char *rest;
  GDate date;
  GDateWeekday weekday;
  guint32 julian;

  date_text = g_strndup (line, strcspn (line, " \t#"));
  if (!parse_date (line, &date) || strlen (date_text) != 10)
    {
      g_set_error (error, HOGA_HOLIDAYS_ERROR, HOGA_HOLIDAYS_ERROR_PARSE,
                   /* Translators: file name, line number, the text found */
                   _("%s:%u: “%s” is not a date: use YYYY-MM-DD"),
                   source_name, line_no, date_text);
      return FALSE;
    }

  rest = line + 10;
  while (*rest == ' ' || *rest == '\t')
    rest++;
  if (*rest != '#')
    {
      g_set_error (error, HOGA_HOLIDAYS_ERROR, HOGA_HOLIDAYS_ERROR_PARSE,
                   _("%s:%u: %s needs the holiday’s name after it, as “# name”"),
                   source_name, line_no, date_text);
      return FALSE;
    }

  /* "# name" then optional "# unverified". */
  parts = g_strsplit (rest + 1, "#", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    g_strstrip (parts[i]);
  if (parts[0] == NULL || *parts[0] == '\0')
    {
      g_set_error (error, HOGA_HOLIDAYS_ERROR, HOGA_HOLIDAYS_ERROR_PARSE,
                   _("%s:%u: %s needs the holiday’s name after it, as “# name”"),
                   source_name, line_no, date_text);
      return FALSE;
    }
  for (guint i = 1; parts[i] != NULL; i++)
    {
      if (!g_str_equal (parts[i], UNVERIFIED_MARK))
        {
          g_set_error (error, HOGA_HOLIDAYS_ERROR, HOGA_HOLIDAYS_ERROR_PARSE,
                       _("%s:%u: unknown mark “%s”: the only mark is “# %s”"),
                       source_name, line_no, parts[i], UNVERIFIED_MARK);
          return FALSE;
        }
    }

  /* The weekend is closed anyway: a weekend date is a typo in the year or the day. */
  weekday = g_date_get_weekday (&date);
  if (weekday == G_DATE_SATURDAY || weekday == G_DATE_SUNDAY)
    {
      g_set_error (error, HOGA_HOLIDAYS_ERROR, HOGA_HOLIDAYS_ERROR_PARSE,
                   _("%s:%u: %s falls on a weekend: list only weekdays the market is closed"),
                   source_name, line_no, date_text);
      return FALSE;
    }

  /* Ascending order also catches a date listed twice. */
  julian = g_date_get_julian (&date);
  if (julian <= *previous_julian)
    {
      g_set_error (error, HOGA_HOLIDAYS_ERROR, HOGA_HOLIDAYS_ERROR_PARSE,
                   _("%s:%u: %s is not after the date on line %u: "
                     "keep the dates in ascending order"),
                   source_name, line_no, date_text, *previous_line);
      return FALSE;
    }
  *previous_julian = julian;
  *previous_line = line_no;

  holiday = g_new0 (Holiday, 1);
  holiday->name = g_strdup (parts[0]);
  holiday->unverified = parts[1] != NULL;
  g_hash_table_insert (self->days, GUINT_TO_POINTER (julian), holiday);

  if (self->first_year == 0)
    self->first_year = g_date_get_year (&date);
  self->last_year = g_date_get_year (&date);
  return TRUE;
}

/* The calendar date in Seoul, whatever the zone of @when. */
static void
kst_date (GDateTime *when,
          GDate     *date)
{
  g_autoptr(GDateTime) kst = hoga_krx_to_kst (when);

  g_date_clear (date, 1);
  g_date_set_dmy (date,
                  (GDateDay) g_date_time_get_day_of_month (kst),
                  (GDateMonth) g_date_time_get_month (kst),
                  (GDateYear) g_date_time_get_year (kst));
}

static void
hoga_holidays_finalize (GObject *object)
{
  HogaHolidays *self = (HogaHolidays *) object;

  g_clear_pointer (&self->days, g_hash_table_unref);

  G_OBJECT_CLASS (hoga_holidays_parent_class)->finalize (object);
}

static void
hoga_holidays_class_init (HogaHolidaysClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hoga_holidays_finalize;
}

static void
hoga_holidays_init (HogaHolidays *self)
{
  self->days = g_hash_table_new_full (NULL, NULL, NULL, holiday_free);
}

/**
 * hoga_holidays_new_from_data:
 * @data: the text of a holiday list (the format of data/krx-holidays.txt)
 * @length: the length of @data, or -1 when it is nul-terminated
 * @source_name: the file name to put in front of line numbers in errors
 * @error: the first malformed line, with its number
 *
 * Lines are blank, a comment starting with "#", or "YYYY-MM-DD # name", optionally
 * followed by "# unverified". Dates are weekdays in ascending order.
 *
 * Returns: (transfer full) (nullable): the holidays, or %NULL with @error set
 */
HogaHolidays *
hoga_holidays_new_from_data (const char  *data,
                             gssize       length,
                             const char  *source_name,
                             GError     **error)
{
  g_autoptr(HogaHolidays) self = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint32 previous_julian = 0;
  guint previous_line = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (source_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HOGA_TYPE_HOLIDAYS, NULL);
  text = length < 0 ? g_strdup (data) : g_strndup (data, (gsize) length);
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line == '\0' || *line == '#')
        continue;
      if (!parse_line (self, source_name, i + 1, line, &previous_julian, &previous_line, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * hoga_holidays_get_default:
 *
 * The list built into Hoga (data/krx-holidays.txt), parsed once.
 *
 * Returns: (transfer none): the built-in holidays
 */
HogaHolidays *
hoga_holidays_get_default (void)
{
  static HogaHolidays *holidays;

  if (g_once_init_enter (&holidays))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      HogaHolidays *parsed;
      const char *data;
      gsize size;

      bytes = g_resource_lookup_data (hoga_core_get_resource (), DEFAULT_RESOURCE,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL)
        g_error ("%s: %s", DEFAULT_RESOURCE, error->message);

      data = g_bytes_get_data (bytes, &size);
      parsed = hoga_holidays_new_from_data (data, (gssize) size, "krx-holidays.txt", &error);
      /* Built in and covered by the tests: failing here is a build error, not the user's. */
      if (parsed == NULL)
        g_error ("%s", error->message);

      g_once_init_leave (&holidays, parsed);
    }
  return holidays;
}

/**
 * hoga_holidays_lookup:
 * @self: holidays
 * @when: any instant; its date in Asia/Seoul is looked up
 * @name: (out) (optional) (transfer none): the holiday's name, as in the list
 * @unverified: (out) (optional): whether the date is marked unverified
 *
 * Returns: %TRUE when the market is closed for a holiday on that date
 */
gboolean
hoga_holidays_lookup (HogaHolidays  *self,
                      GDateTime     *when,
                      const char   **name,
                      gboolean      *unverified)
{
  Holiday *holiday;
  GDate date;

  g_return_val_if_fail (HOGA_IS_HOLIDAYS (self), FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  kst_date (when, &date);
  holiday = g_hash_table_lookup (self->days, GUINT_TO_POINTER (g_date_get_julian (&date)));

  if (name != NULL)
    *name = holiday != NULL ? holiday->name : NULL;
  if (unverified != NULL)
    *unverified = holiday != NULL && holiday->unverified;
  return holiday != NULL;
}

/**
 * hoga_holidays_is_trading_day:
 * @self: holidays
 * @when: any instant; its date in Asia/Seoul is checked
 *
 * Returns: %TRUE when the KRX market opens that day: a weekday not in the list
 */
gboolean
hoga_holidays_is_trading_day (HogaHolidays *self,
                              GDateTime    *when)
{
  g_return_val_if_fail (HOGA_IS_HOLIDAYS (self), FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  return hoga_krx_is_weekday (when) && !hoga_holidays_lookup (self, when, NULL, NULL);
}

/**
 * hoga_holidays_covers:
 * @self: holidays
 * @when: any instant
 *
 * Outside the years the list covers, every weekday looks like a trading day; callers
 * should warn that the holiday list needs updating.
 *
 * Returns: %TRUE when @when's year (Asia/Seoul) lies within the list's first and last year
 */
gboolean
hoga_holidays_covers (HogaHolidays *self,
                      GDateTime    *when)
{
  GDate date;
  guint year;

  g_return_val_if_fail (HOGA_IS_HOLIDAYS (self), FALSE);
  g_return_val_if_fail (when != NULL, FALSE);

  kst_date (when, &date);
  year = g_date_get_year (&date);
  return self->first_year != 0 && year >= self->first_year && year <= self->last_year;
}

/**
 * hoga_holidays_get_n_holidays:
 * @self: holidays
 *
 * Returns: how many dates the list holds
 */
guint
hoga_holidays_get_n_holidays (HogaHolidays *self)
{
  g_return_val_if_fail (HOGA_IS_HOLIDAYS (self), 0);

  return g_hash_table_size (self->days);
}
