// deepseek-opt lists the ds dialect and the upstream passes the pipeline uses.
// RUN: deepseek-opt --help | FileCheck %s --check-prefix=HELP
// RUN: deepseek-opt --show-dialects | FileCheck %s --check-prefix=DIALECTS

// HELP: deepseek optimizer driver
// HELP: Available Dialects: {{.*}}ds,
// HELP-DAG: --canonicalize
// HELP-DAG: --one-shot-bufferize
// HELP-DAG: --convert-linalg-to-loops

// DIALECTS: Available Dialects:
// DIALECTS-DAG: ds
// DIALECTS-DAG: quant
// DIALECTS-DAG: linalg
