"""kn.publish"""
