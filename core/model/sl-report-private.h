/* sl-report-private.h: helpers shared by sl-report.c and sl-report-read.c. */
#pragma once

#include "sl-report.h"

G_BEGIN_DECLS

/* PerCpuTimeStats' eight cpustat keys, in SlPerCpuTime field order. */
extern const char *const sl_report_cpustat_keys[8];

gboolean sl_report_key_is_one_of (const char *key, const char *const *keys, gsize n);
void     sl_report_free_per_cpu (SlValue **per_cpu, guint n);

G_END_DECLS
