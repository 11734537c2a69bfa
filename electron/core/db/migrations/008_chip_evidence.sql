-- Issue 14: the ID card's chip read as evidence. A request whose document was read from the chip keeps what
-- the core saw of that read: the reader kind, the reader's SAM id, the read time and the SHA-256 of the
-- chip's text block and of its photo (JSON: readerKind, samId, readAt, textSha256, photoSha256). No personal
-- data: the facts themselves are in request_enc, the photo is never stored. NULL for keyed requests.
ALTER TABLE applications ADD COLUMN chip_evidence TEXT CHECK (chip_evidence IS NULL OR json_valid(chip_evidence));
