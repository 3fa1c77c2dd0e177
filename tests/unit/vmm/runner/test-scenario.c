/* Unit tests of scenario parsing: built-ins, compilation, and errors that name
 * the line and the field. */
#include "sl-scenario.h"
#include "sl-types.h"

#include <string.h>

static void
test_builtins (void)
{
  for (const char *const *n = sl_scenario_builtin_names (); *n; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SlScenario) sc = sl_scenario_load (*n, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sc->name, ==, *n);
      g_assert_cmpuint (sc->steps->len, >=, 1);
      g_autofree char *compact = sl_scenario_compile (sc, 10000, 2, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (compact, "step\n"));
      /* Percentages resolve against the duration given. */
      g_assert_cmpuint (sl_scenario_total_ms (sc, 10000), ==, 10000);
    }
  /* The data files are the same text as the compiled-in copies. */
  const char *root = g_getenv ("SL_SOURCE_ROOT");
  if (root != NULL)
    {
      g_autofree char *path = g_build_filename (root, "data", "scenarios", "steady.scn", NULL);
      g_autofree char *text = NULL;
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_autoptr(SlScenario) sc = sl_scenario_load_builtin ("steady", NULL);
      g_assert_cmpstr (sc->text, ==, text);
    }
}

static void
test_compile (void)
{
  const char *text =
    "scenario t\n"
    "add-cgroup a cpuset=0\n"
    "spawn a CpuSpin count=2 nice=3\n"
    "step one   # comment\n"
    "  hold 250ms\n"
    "step two\n"
    "  set-cpuset a 1\n"
    "  affinity a all\n"
    "  stop a cpuspin\n"
    "  hold 40%\n"
    "  remove-cgroup a\n"
    "  hold 1s\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScenario) sc = sl_scenario_parse (text, "t.scn", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sc->steps->len, ==, 2);
  g_assert_cmpuint (sc->setup->len, ==, 2);
  g_assert_cmpuint (sl_scenario_total_ms (sc, 5000), ==, 250 + 2000 + 1000);
  g_autofree char *compact = sl_scenario_compile (sc, 5000, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (compact, ==,
                   "# t\n"
                   "add-cgroup a 0\n"
                   "spawn a CpuSpin 2 3\n"
                   "step\n"
                   "hold 250\n"
                   "step\n"
                   "set-cpuset a 1\n"
                   "affinity a -\n"
                   "stop a CpuSpin\n"
                   "hold 2000\n"
                   "remove-cgroup a\n"
                   "hold 1000\n");
  /* A CPU the guest does not have: named with line and field. */
  g_autofree char *bad = sl_scenario_compile (sc, 5000, 1, &error);
  g_assert_null (bad);
  g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
  g_assert_nonnull (strstr (error->message, "t.scn:7: cpus:"));
}

typedef struct {
  const char *text;
  const char *expect;   /* "<file>:<line>: <field>:" prefix */
} BadCase;

static void
test_errors (void)
{
  static const BadCase cases[] = {
    { "scenario x\nstep a\n  hold 1s\n  spawn nope CpuSpin\n", "b.scn:4: cgroup:" },
    { "scenario x\nadd-cgroup g\nstep a\n  spawn g Spinner\n  hold 1s\n", "b.scn:4: work type:" },
    { "scenario x\nadd-cgroup g\nstep a\n  spawn g CpuSpin count=0\n  hold 1s\n", "b.scn:4: count:" },
    { "scenario x\nadd-cgroup g\nstep a\n  spawn g CpuSpin count=two\n  hold 1s\n", "b.scn:4: count:" },
    { "scenario x\nadd-cgroup g\nstep a\n  spawn g CpuSpin nice=40\n  hold 1s\n", "b.scn:4: nice:" },
    { "scenario x\nadd-cgroup g\nstep a\n  spawn g CpuSpin colour=red\n  hold 1s\n", "b.scn:4: colour:" },
    { "scenario x\nstep a\n  hold 5 parsecs\n", "b.scn:3: hold:" },
    { "scenario x\nstep a\n  hold 5y\n", "b.scn:3: hold:" },
    { "scenario x\nstep a\n  hold 60%\nstep b\n  hold 60%\n", "b.scn:1: hold:" },
    { "scenario x\nadd-cgroup g cpuset=1-\nstep a\n  hold 1s\n", "b.scn:2: cpuset:" },
    { "scenario x\nadd-cgroup g\nstep a\n  set-cpuset g 3,,4\n  hold 1s\n", "b.scn:4: cpus:" },
    { "scenario x\nadd-cgroup g\nadd-cgroup g\nstep a\n  hold 1s\n", "b.scn:3: cgroup:" },
    { "scenario x\nadd-cgroup g\nstep a\n  remove-cgroup g\n  stop g\n  hold 1s\n", "b.scn:5: cgroup:" },
    { "scenario x\nstep a\nstep b\n  hold 1s\n", "b.scn:2: step:" },
    { "scenario x\nstep a\n  hold 1s\nstep b\n", "b.scn:4: step:" },
    { "scenario x\n", "b.scn:1: step:" },
    { "add-cgroup g\nstep a\n  hold 1s\n", "b.scn:1: scenario:" },
    { "scenario x\nhold 1s\nstep a\n  hold 1s\n", "b.scn:2: hold:" },
    { "scenario x\nstep a\n  frobnicate g\n  hold 1s\n", "b.scn:3: op:" },
    { "scenario x\nstep a\n  hold 1s\nduration 5s\n", "b.scn:4: duration:" },
    { "scenario bad name!\nstep a\n  hold 1s\n", "b.scn:1: scenario:" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SlScenario) sc = sl_scenario_parse (cases[i].text, "b.scn", &error);
      g_assert_null (sc);
      g_assert_error (error, SL_ERROR, SL_ERROR_SPEC);
      if (!g_str_has_prefix (error->message, cases[i].expect))
        g_error ("case %u: expected '%s…', got '%s'", i, cases[i].expect, error->message);
    }
}

static void
test_unknown_builtin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlScenario) sc = sl_scenario_load ("no-such-thing", &error);
  g_assert_null (sc);
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "steady"));
}

static void
test_binary_garbage (void)
{
  /* Untrusted input: random bytes never crash and always fail cleanly or parse. */
  GRand *rand = g_rand_new_with_seed (7);
  for (int i = 0; i < 500; i++)
    {
      char buf[257];
      int n = g_rand_int_range (rand, 0, 256);
      for (int k = 0; k < n; k++)
        buf[k] = (char) g_rand_int_range (rand, 1, 128);
      buf[n] = '\0';
      g_autoptr(GError) error = NULL;
      g_autoptr(SlScenario) sc = sl_scenario_parse (buf, "fuzz", &error);
      g_assert_true ((sc == NULL) == (error != NULL));
    }
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scenario/builtins", test_builtins);
  g_test_add_func ("/scenario/compile", test_compile);
  g_test_add_func ("/scenario/errors-name-line-and-field", test_errors);
  g_test_add_func ("/scenario/unknown-builtin", test_unknown_builtin);
  g_test_add_func ("/scenario/garbage", test_binary_garbage);
  return g_test_run ();
}
