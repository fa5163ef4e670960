import type { SourceFile } from '../core/types';

/**
 * The video pipeline's contract (implemented in src/video/, used by the py-pde, imgstore and plain
 * video readers and by the exporters). Everything here runs in a browser context (page or worker)
 * with ffmpeg.wasm served from our own origin (/ffmpeg/st/ffmpeg-core.{js,wasm}).
 */
export interface VideoInfo {
  /** ffmpeg codec name of the first video stream: ffv1, h264, mjpeg, mpeg4, vp8, gif, ... */
  codec: string;
  width: number;
  height: number;
  /** stored pixel format as ffmpeg names it: gray, rgb24, bgr0, rgb32, gray16le, gbrp16le, yuv420p, ... */
  pixFmt: string;
  /** exact number of frames (counted from packets when the container does not say) */
  frameCount: number;
  /** nominal frame rate, if any */
  fps: number | null;
  /** presentation time in seconds of every frame, in display order */
  times: number[];
  /** container (format-level) metadata tags, keys as stored (e.g. `comment` or `COMMENT`) */
  tags: Record<string, string>;
  /** stream-level tags of the video stream */
  streamTags: Record<string, string>;
  durationSeconds: number | null;
  /**
   * Frame count the container declares (stream nb_frames, else Matroska's DURATION tag × frame
   * rate), or null. More than `frameCount` means the file was cut short.
   */
  declaredFrameCount?: number | null;
  /**
   * Problems met while opening that did not stop it, e.g. an AVI/Matroska index that could not be
   * used (the frame table then comes from a full packet scan, which reads the whole file).
   */
  warnings?: string[];
}

export interface DecodedVideoFrame {
  width: number;
  height: number;
  /** pixel format of `data` (the stored one unless a conversion was asked for) */
  pixFmt: string;
  /** tightly packed planes/pixels as ffmpeg's rawvideo muxer writes them */
  data: Uint8Array;
}

export interface VideoFile {
  info: VideoInfo;
  /**
   * Decode one frame by display index. `pixFmt` omitted = the stored pixel format, no colour
   * conversion (lossless paths rely on that); e.g. 'rgb24' for display of lossy codecs.
   */
  readFrame(index: number, opts?: { pixFmt?: string; signal?: AbortSignal }): Promise<DecodedVideoFrame>;
  /**
   * Scrubbing: a frame near `index` that is there at once (already decoded, or the GOP's keyframe
   * decoded alone), without waiting for a decode from the keyframe; `index` says which frame it is
   * (the wanted one when it was already decoded). Null when nothing near is quick. Optional.
   */
  readNearby?(index: number, opts?: { pixFmt?: string; signal?: AbortSignal }): Promise<NearbyVideoFrame | null>;
  /**
   * Paused on `index`: decode the frames after it (and keep those before it) in the background, so
   * that stepping is a cache hit. Yields to every readFrame; stops when `signal` aborts. Optional.
   */
  warm?(index: number, opts?: { pixFmt?: string; signal?: AbortSignal }): Promise<void>;
  close(): void;
}

/** What readNearby gives: display index `index`, decoded exactly (it is that frame, not the wanted one). */
export interface NearbyVideoFrame {
  index: number;
  frame: DecodedVideoFrame;
}

export interface OpenVideoOptions {
  /** sibling files ffmpeg may need (none today); the main file is mounted with WORKERFS when it is a Blob */
  hint?: string;
}

/** Frames to encode: raw pixels in `pixFmt` (inputPixFmt) of size width×height. */
export interface EncodeVideoJob {
  width: number;
  height: number;
  /** pixel format of the frames handed in (e.g. gray, gray16le, rgb24, gbrp16le, rgba) */
  inputPixFmt: string;
  frameCount: number;
  /** return frame i's raw bytes */
  frame(i: number): Promise<Uint8Array> | Uint8Array;
  /** output container by file name extension: .avi .mkv .mov .mp4 .webm .gif */
  outputName: string;
  /** ffmpeg codec + options, e.g. ['-c:v','ffv1','-level','3'] or ['-c:v','mpeg4','-q:v','2'] */
  codecArgs: string[];
  /** output pixel format (-pix_fmt), if different from the input */
  outputPixFmt?: string;
  /** frame rate of the output (frames per second, may be fractional e.g. 1000/tpf_ms) */
  fps: number;
  /** container metadata tags (-metadata key=value), e.g. { comment: '...' } */
  tags?: Record<string, string>;
  /** extra args before the output (filters etc.) */
  extraArgs?: string[];
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

export type OpenVideo = (file: SourceFile, opts?: OpenVideoOptions) => Promise<VideoFile>;
export type EncodeVideo = (job: EncodeVideoJob) => Promise<Uint8Array>;
