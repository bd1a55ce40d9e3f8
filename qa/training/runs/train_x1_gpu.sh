#!/bin/bash
# The CPU continuation X1 (model card, "CPU continuation with English-like questions") as one device
# call of under 10 minutes. Prepare here, then run there with .device carried:
#   .venv/bin/python -m qa.training.gpu_pack pack --data ../shared/qa-train --bitext ../shared/bitext --out .device/pack
#   run: bash qa/training/runs/train_x1_gpu.sh        (carry: [".device"], timeout_s 600)
# The same command as on the CPU, with --device cuda and the base from the pack; the weights come
# back in $OUT in 15 MB parts (cat X1_model.part* > model.safetensors), with metrics.json.
set -u
export PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
W=/tmp/work
python3 -m qa.training.gpu_pack unpack .device/pack $W >/dev/null || exit 1
python3 -m qa.training.train_reader --data $W/data --bitext $W/bitext --base-pack $W --device cuda \
    --init qa/reader/weights --out $W/X1 --lr 3e-5 --head-lr 3e-4 --batch-size 16 --seed 41 --threads 4 \
    --epochs 1 --minutes 7 --save-every 0 --checkpoint $W/X1.ckpt --cap tydiqa_id_train=2500 \
    --cap idkmrc_train=1500 --cap facqa_train=600 --cap tydiqa_en_train=800 --cap qed_en_train=800 \
    --cross-lingual 0.5 --question-style english --distractor-negatives 0.15 --max-eval 300 > $W/X1.log 2>&1
tail -5 $W/X1.log
cp $W/X1/metrics.json $OUT/metrics_X1.json 2>/dev/null
split -b 15M -d $W/X1/model.safetensors $OUT/X1_model.part
cp $W/X1/reader_config.json $OUT/X1_reader_config.json
ls -la $OUT
