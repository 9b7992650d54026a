/* hoga-broker.c — the broker port: event types and code normalisation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "hoga-broker"

#include "config.h"

#include <string.h>

#include "hoga-broker.h"

#define DEFINE_EVENT_BOXED(TypeName, type_name)                         \
  static TypeName *                                                     \
  type_name##_copy (const TypeName *event)                              \
  {                                                                     \
    return g_memdup2 (event, sizeof *event);                            \
  }                                                                     \
  G_DEFINE_BOXED_TYPE (TypeName, type_name, type_name##_copy, g_free)

DEFINE_EVENT_BOXED (HogaTick, hoga_tick)
DEFINE_EVENT_BOXED (HogaDepth, hoga_depth)
DEFINE_EVENT_BOXED (HogaConditionEvent, hoga_condition_event)
DEFINE_EVENT_BOXED (HogaOrderEvent, hoga_order_event)
DEFINE_EVENT_BOXED (HogaBalanceEvent, hoga_balance_event)
DEFINE_EVENT_BOXED (HogaSessionEvent, hoga_session_event)

gboolean
hoga_code_normalize (const char *code,
                     gssize      length,
                     char        out[HOGA_CODE_SIZE])
{
  const char *start;
  const char *end;
  const char *suffix;

  g_return_val_if_fail (out != NULL, FALSE);

  out[0] = '\0';
  if (code == NULL)
    return FALSE;
  if (length < 0)
    length = strlen (code);

  start = code;
  end = code + length;
  while (start < end && *start == ' ')
    start++;
  while (end > start && end[-1] == ' ')
    end--;

  /* Exchange suffixes: "005930_NX" (NXT), "005930_AL" (SOR). */
  suffix = memchr (start, '_', end - start);
  if (suffix != NULL)
    end = suffix;

  /* Account and condition outputs prefix KRX codes with "A": "A005930". */
  if (end - start == 7 && start[0] == 'A')
    start++;

  if (end - start < 1 || end - start > HOGA_CODE_SIZE - 1)
    return FALSE;
  for (const char *p = start; p < end; p++)
    {
      if (!g_ascii_isalnum (*p))
        return FALSE;
    }

  memcpy (out, start, end - start);
  out[end - start] = '\0';
  return TRUE;
}
