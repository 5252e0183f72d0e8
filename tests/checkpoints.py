"""Build small real checkpoints at test time: real configs and tokenizers, random weights.

Marian and T5 get SentencePiece models trained on the seed articles; BART gets a small
byte-level BPE. Each is saved with `save_pretrained` and loaded back through the same code
paths as the real models. `benchmarks/` reuses these builders with the real shapes.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_lines() -> list[str]:
    """Non-empty lines of the seed articles, the training text for the tokenizers."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return [line.strip() for line in text.replace(". ", ".\n").splitlines() if line.strip()]


def _train_sentencepiece(vocab_size: int, *, ids: dict[str, int]) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(seed_lines()),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        bos_id=-1,
        minloglevel=2,
        **ids,
    )
    return model.getvalue()


def _suppress_eos(model, eos_token_id: int) -> None:
    """Make end-of-sequence all but impossible, so every output runs to its length cap.

    Benchmarks use this to compare methods at identical output lengths; the bias is part of
    the checkpoint, so every backend (CTranslate2 included) sees it.
    """
    import torch

    with torch.no_grad():
        model.final_logits_bias[0, eos_token_id] = -1e4


def _suppress_fillers(model, fillers: range) -> None:
    """Make the vocabulary's untrained filler ids all but impossible outputs.

    Fillers exist only to give the vocabulary its real size; each decodes to a literal
    "<unusedN>" of a dozen characters, which the summarizer's tokenizer reads as many tokens.
    Without them, random output decodes to about as many characters per token as real output.
    """
    import torch

    with torch.no_grad():
        model.final_logits_bias[0, fillers.start : fillers.stop] = -1e4


def build_marian(
    folder: Path,
    *,
    vocab_size: int = 300,
    d_model: int = 16,
    layers: int = 1,
    heads: int = 2,
    ffn: int = 32,
    max_positions: int = 64,
    max_length: int | None = None,
    beams: int = 2,
    seed: int = 0,
    suppress_eos: bool = False,
    trained_pieces_only: bool = False,
) -> Path:
    """A MarianMT checkpoint laid out like opus-mt-sq-en: source.spm, target.spm and vocab.json,
    with `</s>` = 0, `<unk>` = 1 and `<pad>` the last id (`vocab_size` - 1), which is also the
    decoder start token. Ids between the trained pieces and `<pad>` are unused fillers, never
    generated with `trained_pieces_only`. `max_length` (default `max_positions`) bounds outputs."""
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    model_proto = _train_sentencepiece(min(vocab_size, 300) - 1, ids={"eos_id": 0, "unk_id": 1, "pad_id": -1})
    (folder / "source.spm").write_bytes(model_proto)
    (folder / "target.spm").write_bytes(model_proto)
    processor = spm.SentencePieceProcessor(model_proto=model_proto)
    vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
    vocab.update({f"<unused{i}>": i for i in range(len(vocab), vocab_size - 1)})
    vocab["<pad>"] = vocab_size - 1
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(
        str(folder / "source.spm"),
        str(folder / "target.spm"),
        str(folder / "vocab.json"),
        source_lang="sq",
        target_lang="en",
        model_max_length=max_positions,
    )
    pad = tokenizer.pad_token_id
    config = MarianConfig(
        vocab_size=vocab_size,
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=max_positions,
        pad_token_id=pad,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=pad,
        forced_eos_token_id=tokenizer.eos_token_id,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    if suppress_eos:
        _suppress_eos(model, tokenizer.eos_token_id)
    if trained_pieces_only:
        _suppress_fillers(model, range(processor.get_piece_size(), vocab_size - 1))
    model.generation_config = GenerationConfig(
        num_beams=beams,
        max_length=max_length or max_positions,
        bad_words_ids=[[pad]],
        pad_token_id=pad,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=pad,
        forced_eos_token_id=tokenizer.eos_token_id,
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_bart(
    folder: Path,
    *,
    vocab_size: int = 400,
    d_model: int = 16,
    encoder_layers: int = 1,
    decoder_layers: int = 1,
    heads: int = 2,
    ffn: int = 32,
    max_positions: int = 64,
    max_length: int = 20,
    min_length: int = 3,
    beams: int = 2,
    seed: int = 0,
    suppress_eos: bool = False,
    trained_pieces_only: bool = False,
    trained_vocab: int = 400,
) -> Path:
    """A BART summarizer like distilbart-cnn-12-6: byte-level BPE vocab.json and merges.txt, of
    at most `trained_vocab` pieces learnt from the seeds (more pieces: fewer tokens per word);
    ids past the trained ones are unused fillers, never generated with `trained_pieces_only`."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer, GenerationConfig

    folder.mkdir(parents=True, exist_ok=True)
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        seed_lines(),
        vocab_size=min(vocab_size, trained_vocab),
        min_frequency=1,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        show_progress=False,
    )
    bpe.save_model(str(folder))
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    trained = len(vocab)
    vocab.update({f"<unused{i}>": i for i in range(len(vocab), vocab_size)})  # real-size vocabularies
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = BartTokenizer.from_pretrained(folder, model_max_length=max_positions)
    ids = {"bos_token_id": 0, "pad_token_id": 1, "eos_token_id": 2, "decoder_start_token_id": 2}
    config = BartConfig(
        vocab_size=max(vocab_size, len(tokenizer)),
        d_model=d_model,
        encoder_layers=encoder_layers,
        decoder_layers=decoder_layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=max_positions,
        # Real BART checkpoints carry these; CTranslate2's converter needs them.
        normalize_before=False,
        add_final_layer_norm=False,
        normalize_embedding=True,
        static_position_embeddings=False,
        add_bias_logits=False,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        **ids,
    )
    torch.manual_seed(seed)
    model = BartForConditionalGeneration(config)
    if suppress_eos:
        _suppress_eos(model, ids["eos_token_id"])
    if trained_pieces_only:
        _suppress_fillers(model, range(trained, config.vocab_size))
    model.generation_config = GenerationConfig(
        num_beams=beams,
        max_length=max_length,
        min_length=min_length,
        no_repeat_ngram_size=3,
        length_penalty=2.0,
        early_stopping=True,
        forced_bos_token_id=0,
        forced_eos_token_id=2,
        **ids,
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_t5(
    folder: Path,
    *,
    vocab_size: int = 300,
    d_model: int = 16,
    layers: int = 1,
    heads: int = 2,
    ffn: int = 32,
    max_input: int = 64,
    max_length: int = 20,
    beams: int = 2,
    seed: int = 0,
) -> Path:
    """A T5 summarizer with a SentencePiece vocabulary; it expects `summarize: ` prompts."""
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, T5Config, T5ForConditionalGeneration, T5Tokenizer

    folder.mkdir(parents=True, exist_ok=True)
    processor = spm.SentencePieceProcessor(
        model_proto=_train_sentencepiece(vocab_size, ids={"pad_id": 0, "eos_id": 1, "unk_id": 2})
    )
    vocab = [(processor.id_to_piece(i), processor.get_score(i)) for i in range(processor.get_piece_size())]
    tokenizer = T5Tokenizer(vocab=vocab, extra_ids=0, model_max_length=max_input)
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=d_model,
        d_kv=d_model // heads,
        d_ff=ffn,
        num_layers=layers,
        num_decoder_layers=layers,
        num_heads=heads,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    torch.manual_seed(seed)
    model = T5ForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        num_beams=beams,
        max_length=max_length,
        min_length=3,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
