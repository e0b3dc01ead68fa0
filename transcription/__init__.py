"""Local speech-to-text adapter (faster-whisper), offline only."""
