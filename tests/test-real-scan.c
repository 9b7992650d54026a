/* test-real-scan.c — the Kiwoom REAL frame scanner, checked against a json-glib reference
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every frame any test scans also goes through the differential check: the strict JSON
 * validator in kiwoom-real-reference.c decides whether the frame is JSON at all; non-JSON must
 * be MALFORMED, and for JSON the scanner must agree with the json-glib reference decoder on
 * the status, the trnm, the counts and every delivered byte.
 */
#include "config.h"

#include <string.h>

#include "kiwoom-real-reference.c"

#define RECEIVED_US G_GINT64_CONSTANT (1234567890123)

/* Samples after kiwoom-protocol.md §5.7 and §6, filled out with the FIDs the spec lists. */

static const char tick_sample[] =
  "{\"trnm\":\"REAL\",\"data\":[{\"type\":\"0B\",\"name\":\"주식체결\",\"item\":\"005930\","
  "\"values\":{\"20\":\"165208\",\"10\":\"-20800\",\"11\":\"-50\",\"12\":\"-0.24\","
  "\"27\":\"-20800\",\"28\":\"-20700\",\"15\":\"+82\",\"13\":\"30379732\",\"14\":\"632640\","
  "\"16\":\"20850\",\"17\":\"+21150\",\"18\":\"-20450\",\"25\":\"5\",\"26\":\"-1234\","
  "\"29\":\"-12345\",\"30\":\"99.61\",\"31\":\"0.05\",\"32\":\"1\",\"228\":\"98.92\","
  "\"311\":\"1241\",\"290\":\"2\",\"691\":\"0\",\"567\":\"000000\",\"568\":\"000000\","
  "\"851\":\"\",\"1890\":\"\",\"1891\":\"\",\"1892\":\"\",\"1030\":\"\",\"1031\":\"\","
  "\"1032\":\"\",\"1071\":\"\",\"1072\":\"\",\"1313\":\"\",\"1315\":\"\",\"1316\":\"\","
  "\"1314\":\"\",\"1497\":\"\",\"1498\":\"\",\"620\":\"\",\"732\":\"\",\"852\":\"\","
  "\"9081\":\"1\"}}]}";

static const char order_received_sample[] =
  "{\"trnm\":\"REAL\",\"data\":[{\"type\":\"00\",\"name\":\"주문체결\",\"item\":\"005930\","
  "\"values\":{\"9201\":\"1111111111\",\"9203\":\"0000018\",\"9205\":\"\",\"9001\":\"005930\","
  "\"912\":\"JJ\",\"913\":\"접수\",\"302\":\"삼성전자\",\"900\":\"1\",\"901\":\"0\","
  "\"902\":\"1\",\"903\":\"0\",\"904\":\"0000000\",\"905\":\"+매수\",\"906\":\"시장가\","
  "\"907\":\"2\",\"908\":\"094022\",\"909\":\"\",\"910\":\"\",\"911\":\"\",\"10\":\"+60700\","
  "\"27\":\"+60700\",\"28\":\"-60000\",\"914\":\"\",\"915\":\"\",\"938\":\"0\",\"939\":\"0\","
  "\"919\":\"0\",\"920\":\"\",\"921\":\"0701002\",\"922\":\"00\",\"923\":\"00000000\","
  "\"10010\":\"\",\"2134\":\"1\",\"2135\":\"KRX\",\"2136\":\"Y\"}}]}";

static const char order_filled_sample[] =
  "{\"data\":[{\"values\":{\"9201\":\"1111111111\",\"9203\":\"0000019\",\"9001\":\"005930\","
  "\"913\":\"체결\",\"302\":\"삼성전자\",\"900\":\"10\",\"901\":\"60500\",\"902\":\"4\","
  "\"903\":\"363000\",\"904\":\"0000000\",\"905\":\"-매도\",\"906\":\"보통\",\"907\":\"1\","
  "\"908\":\"094530\",\"909\":\"30245\",\"910\":\"+60500\",\"911\":\"6\",\"914\":\"+60500\","
  "\"915\":\"6\",\"938\":\"50\",\"939\":\"726\",\"919\":\"\",\"2134\":\"1\"},"
  "\"type\":\"00\",\"name\":\"주문체결\",\"item\":\"005930\"}],\"trnm\":\"REAL\"}";

static const char balance_sample[] =
  "{\"trnm\":\"REAL\",\"data\":[{\"type\":\"04\",\"name\":\"현물잔고\",\"item\":\"005930\","
  "\"values\":{\"9201\":\"1111111111\",\"9001\":\"A005930\",\"917\":\"00\",\"916\":\"00000000\","
  "\"302\":\"삼성전자\",\"10\":\"-60150\",\"930\":\"102\",\"931\":\"154116\","
  "\"932\":\"15719832\",\"933\":\"102\",\"945\":\"\",\"946\":\"2\",\"950\":\"0\",\"951\":\"0\","
  "\"27\":\"-60200\",\"28\":\"-60100\",\"307\":\"60500\",\"8019\":\"-60.97\",\"957\":\"0\","
  "\"958\":\"0\",\"918\":\"00000000\",\"990\":\"-1200\",\"991\":\"0.00\",\"992\":\"0\","
  "\"993\":\"0.00\",\"959\":\"0\",\"924\":\"0\"}}]}";

static const char session_sample[] =
  "{\"trnm\":\"REAL\",\"data\":[{\"type\":\"0s\",\"name\":\"장시작시간\",\"item\":\"\","
  "\"values\":{\"215\":\"b\",\"20\":\"170000\",\"214\":\"000000\"}}]}";

static const char condition_sample[] =
  "{\"trnm\":\"REAL\",\"data\":[{\"type\":\"02\",\"name\":\"조건검색\",\"item\":\"005930\","
  "\"values\":{\"841\":\"4\",\"9001\":\"005930\",\"843\":\"I\",\"20\":\"152028\",\"907\":\"2\"}}]}";

/* 0D: asks 20900 up by 50, bids 20650 down by 50, sizes 1000 + 10 × level. */
static char *
depth_frame (void)
{
  GString *s = g_string_new ("{\"trnm\":\"REAL\",\"data\":[{\"type\":\"0D\",\"name\":\"주식호가잔량\","
                             "\"item\":\"005930\",\"values\":{\"21\":\"165208\"");

  for (int i = 0; i < 10; i++)
    {
      g_string_append_printf (s, ",\"%d\":\"+%d\",\"%d\":\"-%d\"", 41 + i, 20900 + 50 * i,
                              51 + i, 20650 - 50 * i);
      g_string_append_printf (s, ",\"%d\":\"%d\",\"%d\":\"%d\"", 61 + i, 1000 + 10 * i,
                              71 + i, 2000 + 10 * i);
      g_string_append_printf (s, ",\"%d\":\"-3\",\"%d\":\"+4\"", 81 + i, 91 + i);
    }
  g_string_append (s, ",\"121\":\"10450\",\"122\":\"-20\",\"125\":\"20450\",\"126\":\"+5\","
                      "\"23\":\"\",\"24\":\"\",\"128\":\"+10000\",\"129\":\"195.69\","
                      "\"13\":\"30379732\",\"215\":\"3\",\"6064\":\"\"}}]}");
  return g_string_free (s, FALSE);
}

/* Running both decoders */

typedef struct {
  KiwoomRealScanStatus status;
  KiwoomRealScanResult result;
  GArray              *entries;
} Scan;

static void
scan_free (Scan *scan)
{
  g_array_unref (scan->entries);
  g_free (scan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scan, scan_free)

static void
collect_cb (const KiwoomRealEntry *entry,
            gpointer               user_data)
{
  g_array_append_vals (user_data, entry, 1);
}

/* Scans a copy of exactly @length bytes, so reading past the frame is an ASan error, and
 * holds the scanner to the reference (or, for non-JSON, to MALFORMED with nothing sent). */
static Scan *
scan_frame (const char *frame,
            gssize      length)
{
  g_autofree char *copy = NULL;
  g_autoptr(GArray) ref_entries = g_array_new (FALSE, TRUE, sizeof (KiwoomRealEntry));
  KiwoomRealScanResult ref_result;
  KiwoomRealScanStatus ref_status;
  Scan *scan = g_new0 (Scan, 1);

  if (length < 0)
    length = strlen (frame);
  copy = g_memdup2 (frame, length);
  scan->entries = g_array_new (FALSE, TRUE, sizeof (KiwoomRealEntry));
  scan->status = kiwoom_real_scan (copy, length, RECEIVED_US, collect_cb, scan->entries,
                                   &scan->result);

  if (scan->status == KIWOOM_REAL_SCAN_MALFORMED)
    {
      g_assert_nonnull (scan->result.error_reason);
      g_assert_cmpuint (scan->result.error_offset, <=, length);
      g_assert_cmpuint (scan->entries->len, ==, 0);
    }
  else
    g_assert_null (scan->result.error_reason);

  if (!kiwoom_real_reference_strict_json (copy, length))
    {
      g_assert_cmpint (scan->status, ==, KIWOOM_REAL_SCAN_MALFORMED);
      return scan;
    }

  ref_status = kiwoom_real_reference_decode (copy, length, RECEIVED_US, collect_cb,
                                             ref_entries, &ref_result);
  g_assert_cmpint (scan->status, ==, ref_status);
  g_assert_cmpstr (scan->result.trnm, ==, ref_result.trnm);
  g_assert_cmpuint (scan->result.delivered, ==, ref_result.delivered);
  g_assert_cmpuint (scan->result.rejected, ==, ref_result.rejected);
  g_assert_cmpuint (scan->entries->len, ==, ref_entries->len);
  g_assert_cmpuint (scan->entries->len, ==, scan->result.delivered);
  for (guint i = 0; i < scan->entries->len; i++)
    {
      const KiwoomRealEntry *a = &g_array_index (scan->entries, KiwoomRealEntry, i);
      const KiwoomRealEntry *b = &g_array_index (ref_entries, KiwoomRealEntry, i);

      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpstr (a->type, ==, b->type);
      g_assert_cmpmem (a, sizeof *a, b, sizeof *b);
    }
  return scan;
}

static const KiwoomRealEntry *
entry_at (Scan  *scan,
          guint  i)
{
  g_assert_cmpuint (i, <, scan->entries->len);
  return &g_array_index (scan->entries, KiwoomRealEntry, i);
}

static void
assert_real (Scan  *scan,
             guint  delivered,
             guint  rejected)
{
  g_assert_cmpint (scan->status, ==, KIWOOM_REAL_SCAN_REAL);
  g_assert_cmpstr (scan->result.trnm, ==, "REAL");
  g_assert_cmpuint (scan->result.delivered, ==, delivered);
  g_assert_cmpuint (scan->result.rejected, ==, rejected);
}

/* Replaces the first @from in @frame by @to. */
static char *
replace_once (const char *frame,
              const char *from,
              const char *to)
{
  const char *at = strstr (frame, from);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - frame), frame, to, at + strlen (from));
}

/* A REAL frame with one entry of @type and the given values object body. */
static char *
entry_frame (const char *type,
             const char *item,
             const char *values)
{
  return g_strdup_printf ("{\"trnm\":\"REAL\",\"data\":[{\"type\":\"%s\",\"item\":\"%s\","
                          "\"values\":{%s}}]}", type, item, values);
}

/* The sample types */

static void
assert_tick_sample (const HogaTick *t)
{
  g_assert_cmpstr (t->code, ==, "005930");
  g_assert_cmpint (t->received_us, ==, RECEIVED_US);
  g_assert_cmpuint (t->hhmmss, ==, 165208);
  g_assert_cmpuint (t->sign, ==, 5);
  g_assert_cmpuint (t->session, ==, 2);
  g_assert_cmpint (t->price, ==, 20800);
  g_assert_cmpint (t->change, ==, -50);
  g_assert_cmpint (t->change_bp, ==, -24);
  g_assert_cmpint (t->volume, ==, 82);
  g_assert_cmpint (t->cum_volume, ==, 30379732);
  g_assert_cmpint (t->cum_value, ==, 632640);
  g_assert_cmpint (t->open, ==, 20850);
  g_assert_cmpint (t->high, ==, 21150);
  g_assert_cmpint (t->low, ==, 20450);
  g_assert_cmpint (t->best_ask, ==, 20800);
  g_assert_cmpint (t->best_bid, ==, 20700);
}

static void
test_tick (void)
{
  g_autoptr(Scan) scan = scan_frame (tick_sample, -1);
  g_autofree char *sell = NULL;
  g_autoptr(Scan) sold = NULL;

  assert_real (scan, 1, 0);
  g_assert_cmpint (entry_at (scan, 0)->kind, ==, KIWOOM_REAL_KIND_TICK);
  g_assert_cmpstr (entry_at (scan, 0)->type, ==, "0B");
  assert_tick_sample (&entry_at (scan, 0)->tick);

  /* A sell-initiated tick keeps its sign; a space in place of a sign (0A style) is fine. */
  sell = replace_once (tick_sample, "\"15\":\"+82\"", "\"15\":\"-7\",\"16\":\" 20850\"");
  sold = scan_frame (sell, -1);
  assert_real (sold, 1, 0);
  g_assert_cmpint (entry_at (sold, 0)->tick.volume, ==, -7);
  g_assert_cmpint (entry_at (sold, 0)->tick.open, ==, 20850);
}

static void
test_depth (void)
{
  g_autofree char *frame = depth_frame ();
  g_autoptr(Scan) scan = scan_frame (frame, -1);
  const HogaDepth *d;

  assert_real (scan, 1, 0);
  g_assert_cmpint (entry_at (scan, 0)->kind, ==, KIWOOM_REAL_KIND_DEPTH);
  d = &entry_at (scan, 0)->depth;
  g_assert_cmpstr (d->code, ==, "005930");
  g_assert_cmpuint (d->hhmmss, ==, 165208);
  g_assert_cmpint (d->received_us, ==, RECEIVED_US);
  for (int i = 0; i < HOGA_DEPTH_LEVELS; i++)
    {
      g_assert_cmpint (d->ask[i], ==, 20900 + 50 * i);
      g_assert_cmpint (d->bid[i], ==, 20650 - 50 * i);
      g_assert_cmpint (d->ask_qty[i], ==, 1000 + 10 * i);
      g_assert_cmpint (d->bid_qty[i], ==, 2000 + 10 * i);
    }
  g_assert_cmpint (d->total_ask_qty, ==, 10450);
  g_assert_cmpint (d->total_bid_qty, ==, 20450);
}

static void
test_order_received (void)
{
  g_autoptr(Scan) scan = scan_frame (order_received_sample, -1);
  const HogaOrderEvent *o;

  assert_real (scan, 1, 0);
  g_assert_cmpint (entry_at (scan, 0)->kind, ==, KIWOOM_REAL_KIND_ORDER);
  o = &entry_at (scan, 0)->order;
  g_assert_cmpstr (o->ord_no, ==, "0000018");
  g_assert_cmpstr (o->orig_ord_no, ==, "0000000");
  g_assert_cmpstr (o->code, ==, "005930");
  g_assert_cmpstr (o->name, ==, "삼성전자");
  g_assert_cmpstr (o->fill_no, ==, "");
  g_assert_cmpstr (o->reject_reason, ==, "0");
  g_assert_cmpint (o->status, ==, HOGA_ORDER_STATUS_RECEIVED);
  g_assert_cmpint (o->kind, ==, HOGA_ORDER_KIND_NEW);
  g_assert_cmpint (o->side, ==, HOGA_SIDE_BUY);
  g_assert_cmpuint (o->hhmmss, ==, 94022);
  g_assert_cmpint (o->order_qty, ==, 1);
  g_assert_cmpint (o->order_price, ==, 0);
  g_assert_cmpint (o->unfilled_qty, ==, 1);
  g_assert_cmpint (o->cum_amount, ==, 0);
  g_assert_cmpint (o->fill_price, ==, 0);
  g_assert_cmpint (o->fill_qty, ==, 0);
  g_assert_cmpint (o->fee, ==, 0);
  g_assert_cmpint (o->tax, ==, 0);
  g_assert_cmpint (o->received_us, ==, RECEIVED_US);
}

static void
test_order_filled (void)
{
  g_autoptr(Scan) scan = scan_frame (order_filled_sample, -1);
  const HogaOrderEvent *o;

  assert_real (scan, 1, 0);
  o = &entry_at (scan, 0)->order;
  g_assert_cmpstr (o->ord_no, ==, "0000019");
  g_assert_cmpstr (o->fill_no, ==, "30245");
  g_assert_cmpstr (o->reject_reason, ==, "");
  g_assert_cmpint (o->status, ==, HOGA_ORDER_STATUS_FILLED);
  g_assert_cmpint (o->kind, ==, HOGA_ORDER_KIND_NEW);
  g_assert_cmpint (o->side, ==, HOGA_SIDE_SELL);
  g_assert_cmpuint (o->hhmmss, ==, 94530);
  g_assert_cmpint (o->order_qty, ==, 10);
  g_assert_cmpint (o->order_price, ==, 60500);
  g_assert_cmpint (o->unfilled_qty, ==, 4);
  g_assert_cmpint (o->cum_amount, ==, 363000);
  g_assert_cmpint (o->fill_price, ==, 60500);
  g_assert_cmpint (o->fill_qty, ==, 6);
  g_assert_cmpint (o->fee, ==, 50);
  g_assert_cmpint (o->tax, ==, 726);
}

static void
test_order_enums (void)
{
  static const struct {
    const char      *status;
    const char      *kind;
    const char      *side;
    HogaOrderStatus  want_status;
    HogaOrderKind    want_kind;
    HogaSide         want_side;
  } cases[] = {
    { "확인", "+매수정정", "2", HOGA_ORDER_STATUS_CONFIRMED, HOGA_ORDER_KIND_MODIFY, HOGA_SIDE_BUY },
    { "취소", "매도취소", "1", HOGA_ORDER_STATUS_CANCELLED, HOGA_ORDER_KIND_CANCEL, HOGA_SIDE_SELL },
    { "거부", "-매도정정", "", HOGA_ORDER_STATUS_REJECTED, HOGA_ORDER_KIND_MODIFY, HOGA_SIDE_NONE },
    { "", "매수취소", "3", HOGA_ORDER_STATUS_UNKNOWN, HOGA_ORDER_KIND_CANCEL, HOGA_SIDE_NONE },
    { "접수됨", "매도", "12", HOGA_ORDER_STATUS_UNKNOWN, HOGA_ORDER_KIND_NEW, HOGA_SIDE_NONE },
    { "체결", "+-매수정정", "2\\u0000", HOGA_ORDER_STATUS_FILLED, HOGA_ORDER_KIND_NEW, HOGA_SIDE_BUY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *values = g_strdup_printf ("\"9001\":\"005930\",\"913\":\"%s\","
                                                 "\"905\":\"%s\",\"907\":\"%s\"",
                                                 cases[i].status, cases[i].kind, cases[i].side);
      g_autofree char *frame = entry_frame ("00", "", values);
      g_autoptr(Scan) scan = scan_frame (frame, -1);

      assert_real (scan, 1, 0);
      g_assert_cmpint (entry_at (scan, 0)->order.status, ==, cases[i].want_status);
      g_assert_cmpint (entry_at (scan, 0)->order.kind, ==, cases[i].want_kind);
      g_assert_cmpint (entry_at (scan, 0)->order.side, ==, cases[i].want_side);
    }
}

static void
test_balance (void)
{
  g_autoptr(Scan) scan = scan_frame (balance_sample, -1);
  const HogaBalanceEvent *b;

  assert_real (scan, 1, 0);
  g_assert_cmpint (entry_at (scan, 0)->kind, ==, KIWOOM_REAL_KIND_BALANCE);
  b = &entry_at (scan, 0)->balance;
  g_assert_cmpstr (b->code, ==, "005930");
  g_assert_cmpstr (b->name, ==, "삼성전자");
  g_assert_cmpint (b->qty, ==, 102);
  g_assert_cmpint (b->avg_price, ==, 154116);
  g_assert_cmpint (b->purchase_amount, ==, 15719832);
  g_assert_cmpint (b->sellable_qty, ==, 102);
  g_assert_cmpint (b->price, ==, 60150);
  g_assert_cmpint (b->realized_pnl, ==, -1200);
  g_assert_cmpint (b->profit_bp, ==, -6097);
  g_assert_cmpint (b->received_us, ==, RECEIVED_US);
}

static void
test_session (void)
{
  g_autoptr(Scan) scan = scan_frame (session_sample, -1);
  g_autofree char *counting = entry_frame ("0s", "", "\"215\":\"0\",\"20\":\"084000\",\"214\":\"001200\"");
  g_autoptr(Scan) before_open = scan_frame (counting, -1);
  const HogaSessionEvent *s;

  assert_real (scan, 1, 0);
  g_assert_cmpint (entry_at (scan, 0)->kind, ==, KIWOOM_REAL_KIND_SESSION);
  s = &entry_at (scan, 0)->session;
  g_assert_cmpstr (s->code, ==, "b");
  g_assert_cmpuint (s->hhmmss, ==, 170000);
  g_assert_cmpint (s->remaining_s, ==, 0);
  g_assert_cmpint (s->received_us, ==, RECEIVED_US);

  assert_real (before_open, 1, 0);
  g_assert_cmpstr (entry_at (before_open, 0)->session.code, ==, "0");
  g_assert_cmpuint (entry_at (before_open, 0)->session.hhmmss, ==, 84000);
  g_assert_cmpint (entry_at (before_open, 0)->session.remaining_s, ==, 1200);
}

static void
test_condition (void)
{
  g_autoptr(Scan) plain = scan_frame (condition_sample, -1);
  g_autofree char *prefixed_frame = entry_frame ("02", "058610",
                                                 "\"841\":\"12\",\"9001\":\"A058610\",\"843\":\"D\","
                                                 "\"20\":\"090102\",\"907\":\"2\"");
  g_autoptr(Scan) prefixed = scan_frame (prefixed_frame, -1);
  g_autofree char *sor_frame = entry_frame ("02", "005930_AL",
                                            "\"841\":\"4\",\"9001\":\"005930\",\"843\":\"I\","
                                            "\"20\":\"152028\"");
  g_autoptr(Scan) sor = scan_frame (sor_frame, -1);
  g_autofree char *item_only_frame = entry_frame ("02", "A005930_AL",
                                                  "\"841\":\"4\",\"9001\":\"\",\"843\":\"I\"");
  g_autoptr(Scan) item_only = scan_frame (item_only_frame, -1);
  const HogaConditionEvent *c;

  assert_real (plain, 1, 0);
  g_assert_cmpint (entry_at (plain, 0)->kind, ==, KIWOOM_REAL_KIND_CONDITION);
  c = &entry_at (plain, 0)->condition;
  g_assert_cmpstr (c->seq, ==, "4");
  g_assert_cmpstr (c->code, ==, "005930");
  g_assert_true (c->inserted);
  g_assert_cmpuint (c->hhmmss, ==, 152028);
  g_assert_cmpint (c->received_us, ==, RECEIVED_US);

  assert_real (prefixed, 1, 0);
  c = &entry_at (prefixed, 0)->condition;
  g_assert_cmpstr (c->seq, ==, "12");
  g_assert_cmpstr (c->code, ==, "058610");
  g_assert_false (c->inserted);
  g_assert_cmpuint (c->hhmmss, ==, 90102);

  assert_real (sor, 1, 0);
  g_assert_cmpstr (entry_at (sor, 0)->condition.code, ==, "005930");

  /* 9001 "" falls back to the item, normalised like 9001 would be. */
  assert_real (item_only, 1, 0);
  g_assert_cmpstr (entry_at (item_only, 0)->condition.code, ==, "005930");
  g_assert_cmpuint (entry_at (item_only, 0)->condition.hhmmss, ==, 0);
}

static void
test_condition_needs_io (void)
{
  static const char *const bad[] = { "\"843\":\"\"", "\"843\":\"X\"", "\"843\":\"II\"", "\"843\":1", "" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *values = g_strdup_printf ("\"841\":\"4\",\"9001\":\"005930\"%s%s",
                                                 *bad[i] ? "," : "", bad[i]);
      g_autofree char *frame = entry_frame ("02", "005930", values);
      g_autoptr(Scan) scan = scan_frame (frame, -1);

      assert_real (scan, 0, 1);
    }
}

/* Frame shapes */

static void
test_several_entries (void)
{
  g_autofree char *depth = depth_frame ();
  const char *depth_entry = strchr (depth, '[') + 1;
  const char *tick_entry = strchr (tick_sample, '[') + 1;
  const char *condition_entry = strchr (condition_sample, '[') + 1;
  g_autofree char *frame = g_strdup_printf ("{\"trnm\":\"REAL\",\"data\":[%.*s,%.*s,%.*s,%.*s]}",
                                            (int) (strlen (tick_entry) - 2), tick_entry,
                                            (int) (strlen (condition_entry) - 2), condition_entry,
                                            (int) (strlen (depth_entry) - 2), depth_entry,
                                            (int) (strlen (tick_entry) - 2), tick_entry);
  g_autoptr(Scan) scan = scan_frame (frame, -1);

  assert_real (scan, 4, 0);
  g_assert_cmpint (entry_at (scan, 0)->kind, ==, KIWOOM_REAL_KIND_TICK);
  g_assert_cmpint (entry_at (scan, 1)->kind, ==, KIWOOM_REAL_KIND_CONDITION);
  g_assert_cmpint (entry_at (scan, 2)->kind, ==, KIWOOM_REAL_KIND_DEPTH);
  g_assert_cmpint (entry_at (scan, 3)->kind, ==, KIWOOM_REAL_KIND_TICK);
  assert_tick_sample (&entry_at (scan, 0)->tick);
  assert_tick_sample (&entry_at (scan, 3)->tick);
  g_assert_cmpint (entry_at (scan, 2)->depth.ask[9], ==, 21350);
}

static void
test_key_orders (void)
{
  /* Every order of the four entry keys, each with "data" before and after "trnm". */
  static const char *const parts[] = {
    "\"type\":\"0B\"",
    "\"name\":\"주식체결\"",
    "\"item\":\"005930\"",
    "\"values\":{\"17\":\"+21150\",\"10\":\"-20800\",\"20\":\"165208\",\"12\":\"-0.24\"}",
  };
  g_autoptr(GArray) first = NULL;

  for (guint perm = 0; perm < 24; perm++)
    {
      guint order[4] = { 0, 1, 2, 3 };
      guint rest = perm;
      g_autofree char *entry = NULL;

      for (guint i = 0; i < 4; i++)
        {
          guint j = i + rest % (4 - i);
          guint t = order[i];

          rest /= 4 - i;
          order[i] = order[j];
          order[j] = t;
        }
      entry = g_strdup_printf ("{ %s ,\n%s,\t%s , %s }", parts[order[0]], parts[order[1]],
                               parts[order[2]], parts[order[3]]);

      for (guint data_first = 0; data_first < 2; data_first++)
        {
          g_autofree char *frame = data_first
            ? g_strdup_printf ("{\"data\" : [ %s ] , \"trnm\" : \"REAL\" }", entry)
            : g_strdup_printf ("\r\n{\"trnm\":\"REAL\",\"data\":[%s]}\n", entry);
          g_autoptr(Scan) scan = scan_frame (frame, -1);

          assert_real (scan, 1, 0);
          g_assert_cmpint (entry_at (scan, 0)->tick.price, ==, 20800);
          g_assert_cmpint (entry_at (scan, 0)->tick.high, ==, 21150);
          g_assert_cmpint (entry_at (scan, 0)->tick.change_bp, ==, -24);
          if (first == NULL)
            first = g_array_ref (scan->entries);
          else
            g_assert_cmpmem (first->data, sizeof (KiwoomRealEntry),
                             scan->entries->data, sizeof (KiwoomRealEntry));
        }
    }
}

static void
test_escapes (void)
{
  /* The name spells "a\"b\\c/d\b\f\n\r\té한😀" with every escape JSON has; the keys and
   * trnm are escaped too, and \u0000 ends a string as it does in json-glib. */
  static const char frame[] =
    "{\"tr\\u006em\":\"RE\\u0041L\",\"d\\u0061ta\":[{\"type\":\"0\\u0030\",\"item\":\"\","
    "\"values\":{\"9001\":\"\\u0030\\u00305930\","
    "\"302\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud55c\\ud83d\\ude00\","
    "\"\\u0039\\u0030\\u0030\":\"1\\u00002\",\"9\\/01\":\"ignored\",\"913\":\"\\uccb4\\uacb0\","
    "\"909\":\"\\u0000x\"}}]}";
  g_autoptr(Scan) scan = scan_frame (frame, -1);
  const HogaOrderEvent *o;

  assert_real (scan, 1, 0);
  o = &entry_at (scan, 0)->order;
  g_assert_cmpstr (o->code, ==, "005930");
  g_assert_cmpstr (o->name, ==, "a\"b\\c/d\b\f\n\r\té한😀");
  g_assert_cmpint (o->order_qty, ==, 1);
  g_assert_cmpint (o->status, ==, HOGA_ORDER_STATUS_FILLED);
  g_assert_cmpstr (o->fill_no, ==, "");
}

static void
test_name_cut (void)
{
  /* 1 + 30 × 3 bytes does not fit 63: the cut falls after the 20th syllable, never inside. */
  GString *name = g_string_new ("x");
  g_autofree char *values = NULL;
  g_autofree char *frame = NULL;
  g_autoptr(Scan) scan = NULL;
  g_autofree char *want = NULL;

  for (int i = 0; i < 30; i++)
    g_string_append (name, "가");
  values = g_strdup_printf ("\"9001\":\"005930\",\"302\":\"%s\",\"919\":\"%s\"", name->str, name->str);
  frame = entry_frame ("04", "", values);
  scan = scan_frame (frame, -1);
  assert_real (scan, 1, 0);
  want = g_strndup (name->str, 1 + 20 * 3);
  g_assert_cmpstr (entry_at (scan, 0)->balance.name, ==, want);
  g_assert_cmpuint (strlen (entry_at (scan, 0)->balance.name), ==, 61);
  g_assert_true (g_utf8_validate (entry_at (scan, 0)->balance.name, -1, NULL));
  g_string_free (name, TRUE);
}

static void
test_extra_fields (void)
{
  static const char frame[] =
    "{\"trnm\":\"REAL\",\"extra\":{\"a\":[1,2,{\"b\":null}],\"c\":true},\"data\":[{\"type\":\"0B\","
    "\"x\":[{\"values\":1}],\"item\":\"005930_NX\",\"values\":{\"10\":\"-20800\",\"99999\":17,"
    "\"100000\":\"x\",\"010\":[],\"1o\":null,\"\":false,\"10 \":{},\"228\":{\"n\":[\"]\"]}},"
    "\"more\":-1.5e+3}],\"seq\":\"7\"}";
  g_autoptr(Scan) scan = scan_frame (frame, -1);

  assert_real (scan, 1, 0);
  g_assert_cmpstr (entry_at (scan, 0)->tick.code, ==, "005930");
  g_assert_cmpint (entry_at (scan, 0)->tick.price, ==, 20800);
}

static void
test_duplicate_keys (void)
{
  /* The last of a repeated key counts at every level, even after an unusable first one. */
  static const char frame[] =
    "{\"trnm\":\"PING\",\"data\":7,\"trnm\":\"REAL\",\"data\":[{\"type\":\"0D\",\"type\":\"0B\","
    "\"item\":1,\"item\":\"000660\",\"values\":null,\"values\":{\"10\":5,\"10\":\"+101\","
    "\"12\":\"\",\"12\":\"3.5\"}}]}";
  g_autoptr(Scan) scan = scan_frame (frame, -1);

  assert_real (scan, 1, 0);
  g_assert_cmpint (entry_at (scan, 0)->kind, ==, KIWOOM_REAL_KIND_TICK);
  g_assert_cmpstr (entry_at (scan, 0)->tick.code, ==, "000660");
  g_assert_cmpint (entry_at (scan, 0)->tick.price, ==, 101);
  g_assert_cmpint (entry_at (scan, 0)->tick.change_bp, ==, 350);
}

static void
test_empty_data (void)
{
  static const struct {
    const char *frame;
    guint       rejected;
  } cases[] = {
    { "{\"trnm\":\"REAL\",\"data\":[]}", 0 },
    { "{\"trnm\":\"REAL\",\"data\":[ ]}", 0 },
    { "{\"trnm\":\"REAL\"}", 0 },
    { "{\"trnm\":\"REAL\",\"data\":null}", 1 },
    { "{\"trnm\":\"REAL\",\"data\":{}}", 1 },
    { "{\"trnm\":\"REAL\",\"data\":\"[]\"}", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Scan) scan = scan_frame (cases[i].frame, -1);

      assert_real (scan, 0, cases[i].rejected);
    }
}

static void
test_missing_values (void)
{
  g_autofree char *empty = entry_frame ("0B", "005930", "");
  g_autoptr(Scan) scan = scan_frame (empty, -1);
  g_autofree char *blank = entry_frame ("0B", "005930", "\"10\":\"\",\"12\":\"\",\"20\":\"\",\"25\":\"\"");
  g_autoptr(Scan) blanks = scan_frame (blank, -1);
  static const char no_values[] =
    "{\"trnm\":\"REAL\",\"data\":[{\"type\":\"0B\",\"item\":\"005930\"},"
    "{\"type\":\"0B\",\"item\":\"005930\",\"values\":{\"10\":\"1\"}},"
    "{\"item\":\"005930\",\"values\":{}},"
    "{\"type\":\"0B\",\"values\":{}},"
    "{\"type\":\"0s\",\"values\":{}},"
    "{\"type\":\"04\",\"item\":\"\",\"values\":{}}]}";
  g_autoptr(Scan) partial = scan_frame (no_values, -1);
  HogaTick zero;

  memset (&zero, 0, sizeof zero);
  strcpy (zero.code, "005930");
  zero.received_us = RECEIVED_US;

  assert_real (scan, 1, 0);
  g_assert_cmpmem (&entry_at (scan, 0)->tick, sizeof zero, &zero, sizeof zero);
  assert_real (blanks, 1, 0);
  g_assert_cmpmem (&entry_at (blanks, 0)->tick, sizeof zero, &zero, sizeof zero);

  /* No values, no type, no code for a 0B or 04: rejected. A 0s needs no code. */
  assert_real (partial, 2, 4);
  g_assert_cmpint (entry_at (partial, 0)->tick.price, ==, 1);
  g_assert_cmpint (entry_at (partial, 1)->kind, ==, KIWOOM_REAL_KIND_SESSION);
}

static void
test_wrong_types (void)
{
  /* Each bad entry is dropped and counted; the good ones around it still arrive. */
  static const char *const bad_values[] = {
    "\"10\":20800", "\"10\":null", "\"10\":true", "\"10\":{}", "\"10\":[\"1\"]",
    "\"12\":-0.24", "\"20\":165208", "\"25\":5", "\"9001\":5930",
  };
  static const char *const bad_entries[] = {
    "7", "null", "\"0B\"", "[]",
    "{\"type\":11,\"values\":{}}",
    "{\"type\":\"0B\",\"item\":5930,\"values\":{}}",
    "{\"type\":\"0B\",\"item\":\"005930\",\"values\":[]}",
    "{\"type\":\"0B\",\"item\":\"005930\",\"values\":\"\"}",
  };
  const char *good = "{\"type\":\"0B\",\"item\":\"005930\",\"values\":{\"10\":\"1\"}}";

  for (guint i = 0; i < G_N_ELEMENTS (bad_values) + G_N_ELEMENTS (bad_entries); i++)
    {
      g_autofree char *bad = i < G_N_ELEMENTS (bad_values)
        ? g_strdup_printf ("{\"type\":\"0B\",\"item\":\"005930\",\"values\":{%s}}", bad_values[i])
        : g_strdup (bad_entries[i - G_N_ELEMENTS (bad_values)]);
      g_autofree char *frame = g_strdup_printf ("{\"trnm\":\"REAL\",\"data\":[%s,%s,%s]}",
                                                good, bad, good);
      g_autoptr(Scan) scan = scan_frame (frame, -1);

      assert_real (scan, 2, 1);
      g_assert_cmpint (entry_at (scan, 1)->tick.price, ==, 1);
    }
}

typedef struct {
  const char *fid;
  const char *text;
  gboolean    ok;
  gint64      want;
} Conversion;

static gint64
tick_field (const HogaTick *t,
            const char     *fid)
{
  if (g_str_equal (fid, "10"))
    return t->price;
  if (g_str_equal (fid, "15"))
    return t->volume;
  if (g_str_equal (fid, "12"))
    return t->change_bp;
  if (g_str_equal (fid, "20"))
    return t->hhmmss;
  if (g_str_equal (fid, "25"))
    return t->sign;
  g_assert_not_reached ();
}

static void
test_conversions (void)
{
  static const Conversion cases[] = {
    { "10", "-20800", TRUE, 20800 }, { "10", "+20800", TRUE, 20800 },
    { "10", " 67300", TRUE, 67300 }, { "10", "000075000", TRUE, 75000 },
    { "10", "9223372036854775807", TRUE, G_MAXINT64 },
    { "10", "-9223372036854775807", TRUE, G_MAXINT64 },
    { "10", "9223372036854775808", FALSE, 0 }, { "10", "99999999999999999999", FALSE, 0 },
    { "10", "+", FALSE, 0 }, { "10", " ", FALSE, 0 }, { "10", "--1", FALSE, 0 },
    { "10", "1 ", FALSE, 0 }, { "10", "1,000", FALSE, 0 }, { "10", "1.5", FALSE, 0 },
    { "10", "１", FALSE, 0 }, { "10", "\\u0031\\u0032", TRUE, 12 },
    { "15", "+82", TRUE, 82 }, { "15", "-82", TRUE, -82 }, { "15", " 82", TRUE, 82 },
    { "15", "-9223372036854775807", TRUE, -G_MAXINT64 },
    { "15", "-9223372036854775808", FALSE, 0 },
    { "12", "-0.24", TRUE, -24 }, { "12", "+0.57", TRUE, 57 }, { "12", "5", TRUE, 500 },
    { "12", "1.239", TRUE, 123 }, { "12", "-1.239", TRUE, -123 }, { "12", "0.00", TRUE, 0 },
    { "12", "46.2", TRUE, 4620 }, { "12", "-0.001", TRUE, 0 }, { "12", " 3.1", TRUE, 310 },
    { "12", "21474836.47", TRUE, G_MAXINT32 }, { "12", "21474836.48", FALSE, 0 },
    { "12", "-21474836.47", TRUE, -G_MAXINT32 }, { "12", "99999999999", FALSE, 0 },
    { "12", "1.", FALSE, 0 }, { "12", ".5", FALSE, 0 }, { "12", "1.2.3", FALSE, 0 },
    { "12", "1e2", FALSE, 0 }, { "12", "+", FALSE, 0 }, { "12", "%", FALSE, 0 },
    { "20", "152028", TRUE, 152028 }, { "20", "000001", TRUE, 1 },
    { "20", "15202", FALSE, 0 }, { "20", "1520280", FALSE, 0 }, { "20", "+52028", FALSE, 0 },
    { "20", "15:20", FALSE, 0 },
    { "25", "5", TRUE, 5 }, { "25", "255", TRUE, 255 }, { "25", "0005", TRUE, 5 },
    { "25", "256", FALSE, 0 }, { "25", "+2", FALSE, 0 }, { "25", "a", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *values = g_strdup_printf ("\"%s\":\"%s\"", cases[i].fid, cases[i].text);
      g_autofree char *frame = entry_frame ("0B", "005930", values);
      g_autoptr(Scan) scan = scan_frame (frame, -1);

      g_test_message ("FID %s = \"%s\"", cases[i].fid, cases[i].text);
      if (!cases[i].ok)
        {
          assert_real (scan, 0, 1);
          continue;
        }
      assert_real (scan, 1, 0);
      g_assert_cmpint (tick_field (&entry_at (scan, 0)->tick, cases[i].fid), ==, cases[i].want);
    }
}

static void
test_codes (void)
{
  static const struct {
    const char *item;
    const char *want;
  } cases[] = {
    { "005930", "005930" }, { "A005930", "005930" }, { "005930_NX", "005930" },
    { " 005930 ", "005930" }, { "0000J0", "0000J0" }, { "", NULL }, { "_NX", NULL },
    { "00593O0!", NULL }, { "12345678", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *frame = entry_frame ("0D", cases[i].item, "");
      g_autoptr(Scan) scan = scan_frame (frame, -1);

      if (cases[i].want == NULL)
        {
          assert_real (scan, 0, 1);
          continue;
        }
      assert_real (scan, 1, 0);
      g_assert_cmpstr (entry_at (scan, 0)->depth.code, ==, cases[i].want);
    }

  /* Past 32 bytes a code is refused before it is normalised. */
  for (int pad = 24; pad <= 25; pad++)
    {
      g_autofree char *item = g_strdup_printf ("005930_%*sX", pad, "");
      g_autofree char *frame = entry_frame ("0D", item, "");
      g_autoptr(Scan) scan = scan_frame (frame, -1);

      g_assert_cmpuint (strlen (item), ==, 8 + pad);
      assert_real (scan, pad == 24 ? 1 : 0, pad == 24 ? 0 : 1);
    }
}

static void
test_unknown_type (void)
{
  static const char frame[] =
    "{\"trnm\":\"REAL\",\"data\":[{\"type\":\"0A\",\"item\":\"005930\",\"values\":{\"18\":\" 67300\"}},"
    "{\"type\":\"1h\",\"item\":\"005930\",\"values\":{\"9068\":\"1\",\"10\":17}},"
    "{\"type\":\"0b\",\"values\":{}},"
    "{\"type\":\"\",\"values\":{}},"
    "{\"type\":\"0B-and-more-than-fits\",\"values\":{}},"
    "{\"type\":\"0B\\u0000\",\"item\":\"005930\",\"values\":{}},"
    "{\"type\":\"1234567가\",\"values\":{}}]}";
  g_autoptr(Scan) scan = scan_frame (frame, -1);
  static const char *const types[] = { "0A", "1h", "0b", "", "0B-and-", "0B", "1234567" };

  assert_real (scan, 7, 0);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_assert_cmpstr (entry_at (scan, i)->type, ==, types[i]);
      g_assert_cmpint (entry_at (scan, i)->kind, ==,
                       i == 5 ? KIWOOM_REAL_KIND_TICK : KIWOOM_REAL_KIND_OTHER);
    }
}

static void
test_large_frame (void)
{
  const char *tick_entry = strchr (tick_sample, '[') + 1;
  int entry_len = strlen (tick_entry) - 2;
  GString *frame = g_string_new ("{\"trnm\":\"REAL\",\"data\":[");
  g_autoptr(Scan) scan = NULL;
  guint n = 0;

  while (frame->len < 1024 * 1024)
    {
      if (n++ > 0)
        g_string_append_c (frame, ',');
      g_string_append_len (frame, tick_entry, entry_len);
    }
  g_string_append (frame, "]}");

  scan = scan_frame (frame->str, frame->len);
  assert_real (scan, n, 0);
  for (guint i = 0; i < n; i++)
    assert_tick_sample (&entry_at (scan, i)->tick);
  g_string_free (frame, TRUE);
}

static void
not_called_cb (const KiwoomRealEntry *entry,
               gpointer               user_data)
{
  g_assert_not_reached ();
}

static void
test_truncated (void)
{
  g_autofree char *depth = depth_frame ();
  const char *const frames[] = {
    tick_sample, depth, order_received_sample, order_filled_sample, balance_sample,
    session_sample, condition_sample,
  };

  /* No proper prefix of an object is JSON: every cut is MALFORMED before anything was
   * delivered, and the error is at the cut, or where a UTF-8 sequence the cut splits starts.
   * (These samples have no escapes or literals, the other tokens that can end unfinished.) */
  for (guint f = 0; f < G_N_ELEMENTS (frames); f++)
    {
      gsize length = strlen (frames[f]);

      for (gsize cut = 0; cut < length; cut++)
        {
          g_autofree char *copy = g_memdup2 (frames[f], cut);
          KiwoomRealScanResult result;
          gsize lead = cut;
          guchar c;

          while (lead > 0 && ((guchar) frames[f][lead - 1] & 0xc0) == 0x80)
            lead--;
          c = lead > 0 ? frames[f][lead - 1] : 0;
          if (c >= 0xc0 && lead - 1 + (c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2) > cut)
            lead--;
          else
            lead = cut;

          g_assert_cmpint (kiwoom_real_scan (copy, cut, RECEIVED_US, not_called_cb, NULL, &result),
                           ==, KIWOOM_REAL_SCAN_MALFORMED);
          g_assert_nonnull (result.error_reason);
          g_assert_cmpuint (result.error_offset, ==, lead);
        }
    }
}

static void
test_trailing_whitespace (void)
{
  /* Cutting trailing whitespace off leaves JSON; any shorter cut does not. */
  g_autofree char *padded = g_strconcat (condition_sample, " \r\n\t", NULL);
  gsize length = strlen (padded);

  for (gsize cut = 0; cut <= length; cut++)
    {
      g_autoptr(Scan) scan = scan_frame (padded, cut);

      if (cut >= strlen (condition_sample))
        assert_real (scan, 1, 0);
      else
        g_assert_cmpint (scan->status, ==, KIWOOM_REAL_SCAN_MALFORMED);
    }
}

static void
test_not_real (void)
{
  static const struct {
    const char *frame;
    const char *trnm;
  } cases[] = {
    { "{\"trnm\":\"LOGIN\",\"return_code\":0,\"return_msg\":\"\",\"sor_yn\":\"Y\"}", "LOGIN" },
    { "{\"trnm\":\"PING\"}", "PING" },
    { "{\"seq\":\"3\",\"trnm\":\"PING\"}", "PING" },
    { "{\"trnm\":\"REG\",\"return_code\":0,\"return_msg\":\"\"}", "REG" },
    { "{\"trnm\":\"SYSTEM\",\"code\":\"R10002\",\"message\":\"접속을 종료합니다\"}", "SYSTEM" },
    { "{\"trnm\":\"CNSRLST\",\"return_code\":0,\"data\":[[\"0\",\"조건1\"]]}", "CNSRLST" },
    { "{\"trnm\":\"real\",\"data\":[]}", "real" },
    { "{\"trnm\":\"REAL \",\"data\":[]}", "REAL " },
    { "{\"trnm\":\"A-very-long-transaction-name\"}", "A-very-long-tra" },
    { "{\"trnm\":1,\"data\":[]}", "" },
    { "{\"trnm\":null}", "" },
    { "{\"data\":[]}", "" },
    { "{}", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Scan) scan = scan_frame (cases[i].frame, -1);

      g_assert_cmpint (scan->status, ==, KIWOOM_REAL_SCAN_NOT_REAL);
      g_assert_cmpstr (scan->result.trnm, ==, cases[i].trnm);
      g_assert_cmpuint (scan->result.delivered, ==, 0);
      g_assert_cmpuint (scan->result.rejected, ==, 0);
    }
}

static void
test_malformed (void)
{
  static const struct {
    const char *frame;
    gsize       offset;
  } cases[] = {
    { "", 0 },
    { "PING", 0 },
    { "  ", 2 },
    { "[]", 0 },
    { "\"REAL\"", 0 },
    { "{\"trnm\":\"REAL\"} {}", 16 },
    { "{\"trnm\":\"REAL\",}", 15 },
    { "{'trnm':'REAL'}", 1 },
    { "{\"trnm\":\"REAL\",\"data\":[1,]}", 25 },
    { "{\"trnm\":\"REAL\" /* c */}", 15 },
    { "{\"trnm\":\"RE\tAL\"}", 11 },
    { "{\"trnm\":\"\\x\"}", 10 },
    { "{\"trnm\":\"\\ud800\"}", 15 },
    { "{\"trnm\":\"\\ud800x\"}", 15 },
    { "{\"trnm\":\"\\udc00\\ud800\"}", 15 },
    { "{\"trnm\":\"\\ud800\\u0041\"}", 21 },
    { "{\"trnm\":\"\\u12G4\"}", 13 },
    { "{\"trnm\":\"\xff\"}", 9 },
    { "{\"trnm\":\"\xc0\x80\"}", 9 },
    { "{\"trnm\":\"\xed\xa0\x80\"}", 9 },
    { "{\"trnm\":\"\xf4\x90\x80\x80\"}", 9 },
    { "\xef\xbb\xbf{}", 0 },
    { "{\"a\":01}", 6 },
    { "{\"a\":1.}", 7 },
    { "{\"a\":.5}", 5 },
    { "{\"a\":+1}", 5 },
    { "{\"a\":-}", 6 },
    { "{\"a\":1e}", 7 },
    { "{\"a\":tru}", 5 },
    { "{\"a\":nulll}", 9 },
    { "{\"a\" 1}", 5 },
    { "{\"a\":[}", 6 },
    { "{\"a\":[1}", 7 },
    { "{\"a\":{]}", 6 },
    { "{1:2}", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Scan) scan = scan_frame (cases[i].frame, -1);

      g_test_message ("case %u", i);
      g_assert_cmpint (scan->status, ==, KIWOOM_REAL_SCAN_MALFORMED);
      g_assert_cmpuint (scan->result.error_offset, ==, cases[i].offset);
    }
}

static void
test_depth_limit (void)
{
  for (guint depth = KIWOOM_REAL_MAX_DEPTH - 1; depth <= KIWOOM_REAL_MAX_DEPTH + 1; depth++)
    {
      /* {"x": plus depth - 1 arrays */
      GString *frame = g_string_new ("{\"trnm\":\"X\",\"x\":");
      g_autoptr(Scan) scan = NULL;

      for (guint i = 1; i < depth; i++)
        g_string_append_c (frame, '[');
      for (guint i = 1; i < depth; i++)
        g_string_append_c (frame, ']');
      g_string_append_c (frame, '}');

      scan = scan_frame (frame->str, frame->len);
      g_assert_cmpint (scan->status, ==, depth <= KIWOOM_REAL_MAX_DEPTH
                       ? KIWOOM_REAL_SCAN_NOT_REAL : KIWOOM_REAL_SCAN_MALFORMED);
      g_string_free (frame, TRUE);
    }
}

/* Random frames and mutations for the differential test */

static const char *const random_values[] = {
  "\"\"", "\"0\"", "\"-20800\"", "\"+82\"", "\" 67300\"", "\"-0.24\"", "\"+0.57\"", "\"5\"",
  "\"1.239\"", "\"152028\"", "\"15202\"", "\"9223372036854775807\"",
  "\"9223372036854775808\"", "\"-9223372036854775807\"", "\"21474836.47\"",
  "\"21474836.48\"", "\"12a\"", "\"+\"", "\"-\"", "\" \"", "\"접수\"", "\"체결\"", "\"확인\"",
  "\"+매수정정\"", "\"매도취소\"", "\"-매도\"", "\"I\"", "\"D\"", "\"1\"", "\"2\"", "\"255\"",
  "\"256\"", "\"A005930\"", "\"005930_AL\"", "\"\\u0031\\u0030\"", "\"1\\u00002\"",
  "\"삼성전자\"", "\"\\ud83d\\ude00 이모지\"", "12", "-0.5e3", "null", "true", "false", "{}",
  "[]", "\"1.\"", "\".5\"", "\"0000152028\"", "\"b\"", "\"0000018\"",
  "\"가나다라마바사아자차카타파하가나다라마바사아자차카타파하가나다\"", "{\"10\":\"1\"}",
  "[\"1\",{\"2\":[]}]", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
};

static const char *const random_types[] = {
  "\"0B\"", "\"0D\"", "\"02\"", "\"00\"", "\"04\"", "\"0s\"", "\"0A\"", "\"1h\"", "\"0b\"",
  "\"0\\u0042\"", "\"\"", "7", "null",
};

static const char *const random_items[] = {
  "\"005930\"", "\"000660\"", "\"005930_AL\"", "\"A005930\"", "\"\"", "\"_NX\"", "5930",
  "\"0000J0\"", "\"12345678\"",
};

static const int random_fids[] = {
  10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 25, 27, 28, 41, 45, 50, 51, 60, 61, 70, 71, 80,
  121, 125, 214, 215, 228, 290, 302, 841, 843, 900, 901, 902, 903, 904, 905, 907, 908, 909,
  910, 911, 913, 919, 930, 931, 932, 933, 938, 939, 990, 8019, 9001, 9203, 9081, 99999,
};

/* Values each kind of FID accepts, so that most random entries get delivered. */
static const char *const plausible_times[] = { "\"152028\"", "\"000000\"", "\"\"" };
static const char *const plausible_smalls[] = { "\"5\"", "\"2\"", "\"\"", "\"255\"" };
static const char *const plausible_rates[] = { "\"-0.24\"", "\"+0.57\"", "\"5\"", "\"1.239\"", "\"\"" };
static const char *const plausible_codes[] = { "\"005930\"", "\"A005930\"", "\"\"", "\"005930_AL\"" };
static const char *const plausible_io[] = { "\"I\"", "\"D\"" };
static const char *const plausible_texts[] = {
  "\"삼성전자\"", "\"접수\"", "\"체결\"", "\"+매수정정\"", "\"매도취소\"", "\"1\"", "\"2\"",
  "\"0000018\"", "\"\"", "\"b\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud55c\\ud83d\\ude00\"",
  "\"\\uc0bc\\uc131\\uc804\\uc790\"",
};
static const char *const plausible_numbers[] = {
  "\"-20800\"", "\"+82\"", "\" 67300\"", "\"0\"", "\"\"", "\"9223372036854775807\"", "\"-5\"",
};

static const char *
plausible_value (GRand *rand,
                 int    fid)
{
#define PICK(pool) pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (pool))]
  switch (fid)
    {
    case 20: case 21: case 908: return PICK (plausible_times);
    case 25: case 290: return PICK (plausible_smalls);
    case 12: case 8019: return PICK (plausible_rates);
    case 9001: return PICK (plausible_codes);
    case 843: return PICK (plausible_io);
    case 215: case 302: case 841: case 904: case 905: case 907: case 909: case 913: case 919:
    case 9203:
      return PICK (plausible_texts);
    default: return PICK (plausible_numbers);
    }
#undef PICK
}

static const char *
pick (GRand             *rand,
      const char *const *pool,
      guint              n)
{
  return pool[g_rand_int_range (rand, 0, n)];
}

static void
random_ws (GRand   *rand,
           GString *s)
{
  static const char *const ws[] = { "", "", "", " ", "\n", "\t ", "\r\n  " };

  g_string_append (s, pick (rand, ws, G_N_ELEMENTS (ws)));
}

/* Appends an object whose members come from @members (n of them) in a random order, some
 * left out and some repeated. */
static void
random_object (GRand   *rand,
               GString *s,
               char   **members,
               guint    n)
{
  gboolean first = TRUE;

  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      char *t = members[i - 1];

      members[i - 1] = members[j];
      members[j] = t;
    }

  g_string_append_c (s, '{');
  for (guint i = 0; i < n; i++)
    {
      guint copies = 1;

      if (g_rand_int_range (rand, 0, 20) == 0)
        copies = 0;
      else if (g_rand_int_range (rand, 0, 15) == 0)
        copies = 2;

      for (guint c = 0; c < copies; c++)
        {
          if (!first)
            g_string_append_c (s, ',');
          first = FALSE;
          random_ws (rand, s);
          g_string_append (s, members[i]);
          random_ws (rand, s);
        }
    }
  g_string_append_c (s, '}');
}

static char *
random_frame (GRand *rand)
{
  GString *s = g_string_new (NULL);
  GString *data = g_string_new ("[");
  guint n_entries = g_rand_int_range (rand, 0, 5);
  char *top[3];

  for (guint e = 0; e < n_entries; e++)
    {
      GString *values = g_string_new (NULL);
      GPtrArray *fids = g_ptr_array_new_with_free_func (g_free);
      char *entry[4];
      guint n_fids = g_rand_int_range (rand, 0, 16);

      for (guint f = 0; f < n_fids; f++)
        {
          int fid = random_fids[g_rand_int_range (rand, 0, G_N_ELEMENTS (random_fids))];
          const char *value = g_rand_int_range (rand, 0, 8) > 0
            ? plausible_value (rand, fid)
            : pick (rand, random_values, G_N_ELEMENTS (random_values));

          g_ptr_array_add (fids, g_strdup_printf ("\"%d\":%s", fid, value));
        }
      random_object (rand, values, (char **) fids->pdata, fids->len);

      entry[0] = g_strdup_printf ("\"type\":%s",
                                  pick (rand, random_types, G_N_ELEMENTS (random_types)));
      entry[1] = g_strdup_printf ("\"item\":%s",
                                  pick (rand, random_items, G_N_ELEMENTS (random_items)));
      entry[2] = g_strdup_printf ("\"values\":%s", values->str);
      entry[3] = g_strdup ("\"name\":\"주식체결\"");
      if (e > 0)
        g_string_append_c (data, ',');
      random_ws (rand, data);
      random_object (rand, data, entry, G_N_ELEMENTS (entry));
      for (guint i = 0; i < G_N_ELEMENTS (entry); i++)
        g_free (entry[i]);
      g_ptr_array_unref (fids);
      g_string_free (values, TRUE);
    }
  g_string_append_c (data, ']');

  top[0] = g_strdup (g_rand_int_range (rand, 0, 10) > 0 ? "\"trnm\":\"REAL\""
                     : g_rand_boolean (rand) ? "\"trnm\":\"PING\"" : "\"trnm\":\"RE\\u0041L\"");
  top[1] = g_strdup_printf ("\"data\":%s", data->str);
  top[2] = g_strdup ("\"extra\":[1,{\"a\":null}]");
  random_ws (rand, s);
  random_object (rand, s, top, G_N_ELEMENTS (top));
  random_ws (rand, s);
  for (guint i = 0; i < G_N_ELEMENTS (top); i++)
    g_free (top[i]);
  g_string_free (data, TRUE);
  return g_string_free (s, FALSE);
}

static void
mutate (GRand   *rand,
        GString *s)
{
  static const char interesting[] = "{}[],:\"\\ u0123456789.-+eEAaIDtrnl\t\n\x7f\x80\xc3\xea\xff";
  guint pos = s->len > 0 ? g_rand_int_range (rand, 0, s->len) : 0;

  switch (g_rand_int_range (rand, 0, 6))
    {
    case 0:                     /* flip a byte to an interesting one */
      if (s->len > 0)
        s->str[pos] = interesting[g_rand_int_range (rand, 0, sizeof interesting - 1)];
      break;

    case 1:                     /* flip a byte to anything */
      if (s->len > 0)
        s->str[pos] = g_rand_int_range (rand, 0, 256);
      break;

    case 2:                     /* truncate */
      g_string_truncate (s, pos);
      break;

    case 3:                     /* delete a run */
      {
        gsize run = g_rand_int_range (rand, 1, 8);

        g_string_erase (s, pos, MIN (s->len - pos, run));
      }
      break;

    case 4:                     /* insert a value */
      g_string_insert (s, pos, pick (rand, random_values, G_N_ELEMENTS (random_values)));
      break;

    default:                    /* swap two runs of bytes */
      if (s->len > 8)
        {
          guint len = g_rand_int_range (rand, 1, MIN (s->len / 2, 24u));
          guint a = g_rand_int_range (rand, 0, s->len - 2 * len + 1);
          guint b = g_rand_int_range (rand, a + len, s->len - len + 1);
          char tmp[24];

          memcpy (tmp, s->str + a, len);
          memmove (s->str + a, s->str + b, len);
          memcpy (s->str + b, tmp, len);
        }
      break;
    }
}

static void
test_differential (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261121);
  guint counts[3] = { 0 };
  guint delivered = 0;
  guint rejected = 0;

  for (guint i = 0; i < 4000; i++)
    {
      g_autofree char *frame = random_frame (rand);
      GString *s = g_string_new (frame);
      g_autoptr(Scan) scan = NULL;
      guint mutations = g_rand_boolean (rand) ? 0 : g_rand_int_range (rand, 1, 4);

      for (guint m = 0; m < mutations; m++)
        mutate (rand, s);
      scan = scan_frame (s->str, s->len);
      counts[scan->status]++;
      delivered += scan->result.delivered;
      rejected += scan->result.rejected;
      g_string_free (s, TRUE);
    }

  g_test_message ("REAL %u, NOT_REAL %u, MALFORMED %u; %u entries delivered, %u rejected",
                  counts[0], counts[1], counts[2], delivered, rejected);
  /* The generator must reach every outcome, or the comparison proves little. */
  g_assert_cmpuint (counts[KIWOOM_REAL_SCAN_REAL], >, 1000);
  g_assert_cmpuint (counts[KIWOOM_REAL_SCAN_NOT_REAL], >, 50);
  g_assert_cmpuint (counts[KIWOOM_REAL_SCAN_MALFORMED], >, 500);
  g_assert_cmpuint (delivered, >, 1000);
  g_assert_cmpuint (rejected, >, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/broker/real-scan/tick", test_tick);
  g_test_add_func ("/broker/real-scan/depth", test_depth);
  g_test_add_func ("/broker/real-scan/order-received", test_order_received);
  g_test_add_func ("/broker/real-scan/order-filled", test_order_filled);
  g_test_add_func ("/broker/real-scan/order-enums", test_order_enums);
  g_test_add_func ("/broker/real-scan/balance", test_balance);
  g_test_add_func ("/broker/real-scan/session", test_session);
  g_test_add_func ("/broker/real-scan/condition", test_condition);
  g_test_add_func ("/broker/real-scan/condition-needs-io", test_condition_needs_io);
  g_test_add_func ("/broker/real-scan/several-entries", test_several_entries);
  g_test_add_func ("/broker/real-scan/key-orders", test_key_orders);
  g_test_add_func ("/broker/real-scan/escapes", test_escapes);
  g_test_add_func ("/broker/real-scan/name-cut", test_name_cut);
  g_test_add_func ("/broker/real-scan/extra-fields", test_extra_fields);
  g_test_add_func ("/broker/real-scan/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/broker/real-scan/empty-data", test_empty_data);
  g_test_add_func ("/broker/real-scan/missing-values", test_missing_values);
  g_test_add_func ("/broker/real-scan/wrong-types", test_wrong_types);
  g_test_add_func ("/broker/real-scan/conversions", test_conversions);
  g_test_add_func ("/broker/real-scan/codes", test_codes);
  g_test_add_func ("/broker/real-scan/unknown-type", test_unknown_type);
  g_test_add_func ("/broker/real-scan/large-frame", test_large_frame);
  g_test_add_func ("/broker/real-scan/truncated", test_truncated);
  g_test_add_func ("/broker/real-scan/trailing-whitespace", test_trailing_whitespace);
  g_test_add_func ("/broker/real-scan/not-real", test_not_real);
  g_test_add_func ("/broker/real-scan/malformed", test_malformed);
  g_test_add_func ("/broker/real-scan/depth-limit", test_depth_limit);
  g_test_add_func ("/broker/real-scan/differential", test_differential);

  return g_test_run ();
}
