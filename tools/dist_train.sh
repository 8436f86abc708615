#!/usr/bin/env bash
# Train on GPUS processes of this node (or several nodes) with torchrun.
#   bash tools/dist_train.sh CONFIG GPUS [train.py options]
# Without CUDA the processes train on the CPU with the gloo backend.
# Environment: NNODES, NODE_RANK, PORT, MASTER_ADDR, PYTHON.
CONFIG=$1
GPUS=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
PYTHON=${PYTHON:-python}

PYTHONPATH="$(dirname "$0")/..":$PYTHONPATH \
"$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" \
    --node_rank="$NODE_RANK" \
    --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$GPUS" \
    --master_port="$PORT" \
    "$(dirname "$0")/train.py" \
    "$CONFIG" \
    --launcher pytorch "${@:3}"
