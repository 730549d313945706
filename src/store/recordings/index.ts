// Recording stores: a folder (default) or an S3-compatible bucket, chosen by PARLEY_RECORDINGS_URL.
export { DirectoryRecordings } from './directory.ts';
export { openRecordings } from './open.ts';
export { S3Recordings, type S3RecordingsOptions } from './s3.ts';
export { ForeignRecordingError, type ByteRange, type RecordingStore } from './types.ts';
