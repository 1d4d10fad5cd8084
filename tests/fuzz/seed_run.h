// The run the checkpoint seeds are written for (make_checkpoint_seeds.cc)
// and that checkpoint_fuzz.cc expects: one definition, so the two cannot
// drift apart.
#pragma once

#include <fbpinn/network/checkpoint.h>

/** The header of that run, without the per-file step and history rows. */
inline fbpinn::Network::CheckpointHeader
seed_run_header()
{
  fbpinn::Network::CheckpointHeader h;
  h.method           = "fbpinn";
  h.input_dimension  = 1;
  h.hidden           = {3};
  h.activation       = "tanh";
  h.n_subdomains     = 2;
  h.layout_signature = 0x5eed5eed5eed5eedULL;
  h.n_parameters     = 2 * 10;
  h.history_width    = 5;
  return h;
}
